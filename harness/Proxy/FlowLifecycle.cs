using System.Collections.Concurrent;
using Harness.Flows;
using Harness.Proxy.Addons;

namespace Harness.Proxy;

/// <summary>
/// The one place a flow is created (<see cref="Open"/>) and the one place it ends (<see cref="CompleteAsync"/>), so
/// "exactly one recorded flow per exchange, whatever goes wrong" is kept here and checked: completing a flow that is not
/// open throws, and <see cref="OpenCount"/> says how many exchanges are still in progress (0 once the proxy is idle).
/// </summary>
internal sealed class FlowLifecycle(Func<string> nextId, TimeProvider time, AddonPipeline addons)
{
    private readonly ConcurrentDictionary<string, Flow> _open = new();
    private long _completed;

    public int OpenCount => _open.Count;
    public long CompletedCount => Interlocked.Read(ref _completed);

    public Flow Open(ClientContext client, FlowKind kind, string host, int port, string scheme, DateTimeOffset? start = null)
    {
        var tls = client.Tls;
        var flow = new Flow
        {
            Id = nextId(),
            Kind = kind,
            Host = host,
            Port = port,
            Scheme = scheme,
            ClientAddress = client.Address,
            Timings = new FlowTimings { Start = start ?? time.GetUtcNow(), TlsDone = client.TlsDone },
            Tls = tls is null ? null : new TlsInfo { Sni = tls.Sni, Outcome = tls.Outcome, Protocol = tls.Protocol, Alpn = tls.Alpn, Detail = tls.Detail },
        };
        _open[flow.Id] = flow;
        return flow;
    }

    /// <summary>End the flow: stamp its end time, then the flow-complete addons (masking, recording, the library's own).</summary>
    public async Task CompleteAsync(ProxySession session)
    {
        var flow = session.Flow;
        if (!_open.TryRemove(flow.Id, out _)) throw new InvalidOperationException($"flow {flow.Id} completed twice or never opened");
        flow.Timings.ResponseDone ??= time.GetUtcNow();
        Interlocked.Increment(ref _completed);
        await addons.FlowCompleteAsync(session).ConfigureAwait(false);
    }

    public Task CompleteAsync(Flow flow) => CompleteAsync(new ProxySession(flow));
}
