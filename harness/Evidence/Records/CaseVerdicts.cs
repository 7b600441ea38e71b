namespace Harness.Evidence.Records;

/// <summary>
/// The verdict strings a <see cref="CaseRecord"/> may carry; strings (not an enum) so the JSON stays readable by other
/// tools. Also the one place a verdict becomes the word people read (LEAK, inconclusive …): the summary table, the
/// progress lines, the NUnit and Allure messages all take it from <see cref="Word"/>.
/// </summary>
public static class CaseVerdicts
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Inconclusive = "inconclusive";

    /// <summary>Not a record verdict (such a case ran nothing and has no record): the token of suite-results.jsonl.</summary>
    public const string NotApplicable = "n/a";

    public static bool IsKnown(string? verdict) => verdict is Pass or Fail or Inconclusive;

    /// <summary>pass, LEAK, inconclusive, n/a.</summary>
    public static string Word(string verdict) => verdict switch
    {
        Fail => "LEAK",
        _ => verdict,
    };

    /// <summary>The longer form a test message starts with: "not applicable" rather than n/a.</summary>
    public static string Phrase(string verdict) => verdict == NotApplicable ? "not applicable" : Word(verdict);
}
