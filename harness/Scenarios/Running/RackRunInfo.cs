namespace Harness.Scenarios;

/// <summary>What the sinks know about the run they report.</summary>
public sealed record RackRunInfo(string RunId, long HistoryRunId, DateTimeOffset StartedUtc, string BundleDirectory, RackRunOptions Options,
    IReadOnlyList<RecoveryOutcome> Recovered);
