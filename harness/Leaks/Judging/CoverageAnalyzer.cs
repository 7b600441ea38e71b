using Harness.Flows;

namespace Harness.Leaks;

/// <summary>
/// What the capture could not see. A vendor connection whose TLS the client refused (pinning, untrusted CA) or that
/// was tunnelled without interception is a blind spot; so is a failed or truncated request and any phone connection
/// no flow accounts for, and a request payload to a vendor or third party that nothing could read (ciphertext, an
/// unknown compression, an encrypted Sensors upload). Refusals to other hosts are listed but are not gaps.
/// </summary>
public static class CoverageAnalyzer
{
    public static CoverageReport Analyze(IReadOnlyList<Flow> flows, DestinationClassifier destinations, IReadOnlyList<UnaccountedConnection> unaccounted,
        IReadOnlyList<(Flow Flow, DestinationClass Destination, OpaquePayload Payload)>? unread = null,
        Func<Flow, OpaquePayload, string?>? clearOpaque = null)
    {
        var items = new List<CoverageItem>();
        foreach (var (flow, destination, payload) in unread ?? [])
        {
            var cleared = clearOpaque?.Invoke(flow, payload);
            items.Add(new CoverageItem("opaque-payload", flow.Id, flow.Host, destination,
                $"{payload.Location}: {payload.Size} bytes, {payload.Reason}{(cleared is null ? "" : "; cleared: " + cleared)}",
                destination != DestinationClass.Intended && cleared is null));
        }
        foreach (var flow in flows)
        {
            var destination = destinations.Classify(flow);
            var notIntended = destination != DestinationClass.Intended;
            if (flow.Tls is { Outcome: not (TlsOutcome.Intercepted or TlsOutcome.Passthrough) } tls)
            {
                items.Add(new CoverageItem("tls-refused", flow.Id, flow.Host, destination,
                    $"client refused our TLS ({tls.Outcome}{(tls.Detail is null ? "" : ": " + tls.Detail)}): its traffic was not seen",
                    destination == DestinationClass.Vendor));
                continue;
            }
            if (flow.Kind == FlowKind.Tunnel || flow.Tls is { Outcome: TlsOutcome.Passthrough } && flow.Kind != FlowKind.Http)
            {
                items.Add(new CoverageItem("not-intercepted", flow.Id, flow.Host, destination, "relayed without interception: content not seen",
                    destination == DestinationClass.Vendor));
                continue;
            }
            if (flow.Error is { } error)
            {
                items.Add(new CoverageItem("failed", flow.Id, flow.Host, destination, $"{error.Kind}: {error.Message}", notIntended && RequestIncomplete(flow)));
                continue;
            }
            if (flow.Kind == FlowKind.Connection)
            {
                items.Add(new CoverageItem("no-request", flow.Id, flow.Host, destination, "connection ended before any request", notIntended));
                continue;
            }
            if (flow.RequestBody is { Truncated: true } body)
                items.Add(new CoverageItem("truncated-body", flow.Id, flow.Host, destination, $"request body stored {body.Raw.LongLength} of {body.Size} bytes", notIntended));
        }
        foreach (var c in unaccounted)
            items.Add(new CoverageItem(c.Kind, null, c.Remote.Address.ToString(), null,
                $"{c.Describe()} at {c.SeenAt:O} went past the proxy: no captured flow accounts for it{(c.Detail is null ? "" : ": " + c.Detail)}", true));
        return new CoverageReport(flows.Count, items);
    }

    /// <summary>A failed flow whose request was read in full still shows what was sent; only then is it no gap.</summary>
    private static bool RequestIncomplete(Flow flow) =>
        flow.Method is null || flow.Kind == FlowKind.Connection || flow.RequestBody is { Truncated: true };
}
