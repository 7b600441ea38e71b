namespace Harness.LeakSuite;

/// <summary>
/// One line of &lt;out&gt;/suite-results.jsonl: a finished case ("case") or a phone that could not be prepared ("device").
/// run.ps1 builds its summary table and exit code from these lines.
/// </summary>
public sealed record SuiteResultLine
{
    public required string Kind { get; init; }
    public required string Serial { get; init; }
    public string? Model { get; init; }
    public string? Browser { get; init; }
    public string? Package { get; init; }
    public string? Version { get; init; }
    public string? Scenario { get; init; }
    public string? Mode { get; init; }
    /// <summary>pass, fail, inconclusive or n/a.</summary>
    public string? Verdict { get; init; }
    public string? Reason { get; init; }
    public string? Infrastructure { get; init; }
    public IReadOnlyList<string> Findings { get; init; } = [];
    public DateTimeOffset StartedUtc { get; init; }
    public DateTimeOffset StoppedUtc { get; init; }
}
