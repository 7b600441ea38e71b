namespace Harness.Evidence.Records;

/// <summary>Run-level facts stored as run.json at the bundle root.</summary>
public sealed record RunInfo
{
    public required string RunId { get; init; }
    public required string HarnessVersion { get; init; }
    public string? HarnessCommit { get; init; }
    public DateTimeOffset StartedUtc { get; init; }
    /// <summary>Null until the bundle is sealed: a bundle without an end time comes from an interrupted run.</summary>
    public DateTimeOffset? EndedUtc { get; init; }
}
