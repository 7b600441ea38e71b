using Harness.Browsers;
using Harness.Flows;

namespace Harness.Scenarios;

/// <summary>
/// Whether a flow is a telemetry upload that could have carried what the case browsed: a request (not a refused
/// handshake) to one of the profile's endpoints that started after the last browsing step. One place for the runner's
/// extended wait and the judge's rule.
/// </summary>
public static class TelemetryHeartbeatCheck
{
    public static bool IsHeartbeat(Flow flow, IReadOnlyList<TelemetryEndpoint> endpoints, DateTimeOffset lastBrowsingStep) =>
        flow.Method is not null && flow.Timings.Start > lastBrowsingStep && endpoints.Any(e => e.Matches(flow.Host, flow.Url));

    /// <summary>
    /// An upload attempt whose request was never seen (the TLS handshake to an endpoint host refused our certificate)
    /// after the last browsing step: the SDK is alive, but waiting longer cannot show what it sent. Ends the runner's
    /// extended wait; it is never a heartbeat for the judge.
    /// </summary>
    public static bool IsUnreadableAttempt(Flow flow, IReadOnlyList<TelemetryEndpoint> endpoints, DateTimeOffset lastBrowsingStep) =>
        flow.Method is null && flow.Timings.Start > lastBrowsingStep && endpoints.Any(e => e.Host.Equals(flow.Host, StringComparison.OrdinalIgnoreCase));
}
