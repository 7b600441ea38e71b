namespace Harness.Evidence.History;

public sealed record HistoryRun(long Id, DateTimeOffset StartedUtc, DateTimeOffset? EndedUtc, string Kind, string HarnessVersion);
