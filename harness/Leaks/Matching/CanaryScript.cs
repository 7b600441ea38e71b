namespace Harness.Leaks;

/// <summary>
/// The script a search-term canary is written in: Latin (the <c>zq</c> + base32 token) or Han (Chinese characters, for
/// a phone in zh-CN where a user searches in Chinese and the term travels as UTF-8, percent-encoded, \u-escaped …).
/// </summary>
public enum CanaryScript
{
    Latin,
    Han,
}
