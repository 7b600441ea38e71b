namespace Harness.Evidence.Records;

/// <summary>
/// One leak finding as the evidence layer stores it. Deliberately independent of the scanner's own types
/// so a bundle stays readable when the scanner evolves.
/// </summary>
public sealed record FindingRecord
{
    public required string FlowId { get; init; }
    public required string Host { get; init; }
    /// <summary>Destination class, e.g. "vendor-analytics".</summary>
    public string? Destination { get; init; }
    /// <summary>What leaked, e.g. "url", "search-term".</summary>
    public required string CanaryKind { get; init; }
    /// <summary>Where in the flow, e.g. "request.body" or "request.query:u".</summary>
    public required string Location { get; init; }
    public IReadOnlyList<string> DecodeChain { get; init; } = [];
    public string? Excerpt { get; init; }

    /// <summary>Identity used when comparing a re-scan with the recorded result: everything except the excerpt.</summary>
    public string ComparisonKey =>
        string.Join("|", FlowId, Host, Destination ?? "", CanaryKind, Location, string.Join(">", DecodeChain));

    /// <summary>What a history row or a regression diff remembers of a finding: where it went and what it carried.</summary>
    public string SummaryKey => $"{Host}:{CanaryKind}";
}
