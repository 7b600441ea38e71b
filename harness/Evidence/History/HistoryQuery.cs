namespace Harness.Evidence.History;

public sealed record HistoryQuery
{
    public long? RunId { get; init; }
    public string? Browser { get; init; }
    public string? Scenario { get; init; }
    public string? Mode { get; init; }
}
