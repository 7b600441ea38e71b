namespace Harness.Leaks;

/// <summary>What a canary stands for. Order matters: a later kind is more specific than an earlier one.</summary>
public enum CanaryKind
{
    Title,
    Query,
    Path,
    Host,
    Url,
}
