namespace Harness.Browsers;

/// <summary>
/// A profile's <c>telemetry:</c> block: the endpoints its builds upload telemetry to and how often the SDK flushes.
/// A case passes only when one of these uploads started after its last browsing step (a flush that could have carried
/// what was browsed); otherwise the telemetry was silent and the case cannot be judged.
/// </summary>
public sealed record TelemetryHeartbeat(IReadOnlyList<TelemetryEndpoint> Endpoints, TimeSpan FlushInterval)
{
    /// <summary>Beyond the flush interval: the upload's own time on a slow phone and network.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    /// <summary>How long after the last browsing step a live SDK must have flushed.</summary>
    public TimeSpan Deadline => FlushInterval + Margin;
}
