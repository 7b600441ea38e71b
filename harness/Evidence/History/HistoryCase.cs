namespace Harness.Evidence.History;

/// <summary>One case row. <see cref="FindingKeys"/> are "host:canaryKind" pairs, what a regression diff compares.</summary>
public sealed record HistoryCase
{
    public long RunId { get; init; }
    public DateTimeOffset RunStartedUtc { get; init; }
    public required string CaseId { get; init; }
    public string? Device { get; init; }
    public string? Model { get; init; }
    public required string Browser { get; init; }
    public string? BrowserVersion { get; init; }
    public required string Scenario { get; init; }
    public string Mode { get; init; } = "";
    public required string Verdict { get; init; }
    public string? Reason { get; init; }
    public string FindingSummary { get; init; } = "";
    public IReadOnlyList<string> FindingKeys { get; init; } = [];
}
