using System.Net.Sockets;
using System.Security.Authentication;
using Harness.Proxy.Http2;

namespace Harness.Proxy.Http2Proxy;

/// <summary>
/// The pump of an HTTP/2 client connection (ALPN h2 after interception, or h2c prior knowledge): it owns the client
/// stream and the I/O-free <see cref="Http2Connection"/> (server role), feeds it what the client sends, and runs each
/// stream as its own exchange (<see cref="Http2StreamExchange"/>), i.e. its own flow. Every access to the connection
/// state is under one lock; writes to the client go out in the order the connection produced them.
/// </summary>
internal sealed class Http2ClientSession : IAsyncDisposable
{
    private readonly InterceptingProxy _proxy;
    private readonly Stream _client;
    private readonly Http2Wire _wire;
    private readonly Lock _sync = new();
    private readonly Dictionary<int, Http2StreamExchange> _exchanges = [];
    private readonly List<Task> _running = [];
    private readonly List<(int StreamId, int Bytes)> _orphanedData = [];
    private readonly CancellationTokenSource _closing;

    public Http2ClientSession(InterceptingProxy proxy, ClientContext client, Stream stream, string scheme, string? tunnelHost, int tunnelPort, CancellationToken stopping)
    {
        _proxy = proxy;
        Client = client;
        _client = stream;
        Scheme = scheme;
        TunnelHost = tunnelHost;
        TunnelPort = tunnelPort;
        _closing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _wire = new Http2Wire(new Http2Connection(Http2Role.Server, new Http2ConnectionOptions { EnableConnectProtocol = true }), stream);
        Upstreams = new Http2UpstreamPool(proxy.Options);
    }

    public ClientContext Client { get; }
    public string Scheme { get; }
    public string? TunnelHost { get; }
    public int TunnelPort { get; }
    public InterceptingProxy Proxy => _proxy;
    public Http2UpstreamPool Upstreams { get; }

    /// <summary>Set when the client broke HTTP/2 (GOAWAY sent): the connection ends, recorded as its own flow.</summary>
    public Http2ConnectionError? ConnectionError { get; private set; }

    /// <summary>Streams served (a client that sent none is recorded by the caller like an idle h1 connection).</summary>
    public int StreamsServed { get; private set; }

    /// <summary>Serve the connection until the client closes it, it breaks the protocol, or the proxy stops.</summary>
    public async Task RunAsync(ReadOnlyMemory<byte> alreadyReceived)
    {
        var ct = _closing.Token;
        var events = new List<Http2Event>();
        var buffer = new byte[64 * 1024];
        try
        {
            await SubmitAsync(static _ => { }, ct).ConfigureAwait(false);
            var pending = alreadyReceived;
            while (true)
            {
                if (pending.Length == 0)
                {
                    int n;
                    using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
                    {
                        idle.CancelAfter(_proxy.Options.ClientIdleTimeout);
                        n = await _client.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                    }
                    events.Clear();
                    if (n == 0)
                    {
                        _wire.FeedEof(events);
                        Dispatch(events);
                        break;
                    }
                    pending = buffer.AsMemory(0, n);
                }
                events.Clear();
                _wire.Feed(pending.Span, events);
                pending = default;
                // SETTINGS and PING acknowledgements, window updates: out before we act on the events.
                await SubmitAsync(static _ => { }, ct).ConfigureAwait(false);
                if (!Dispatch(events)) break;
                if (_orphanedData.Count > 0)
                {
                    var orphaned = _orphanedData.ToArray();
                    _orphanedData.Clear();
                    await SubmitAsync(h => { foreach (var (id, bytes) in orphaned) h.ConsumeData(id, bytes); }, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or AuthenticationException)
        {
            events.Clear();
            _wire.FeedEof(events);
            Dispatch(events);
        }
        Task[] running;
        lock (_sync) running = [.. _running];
        await Task.WhenAll(running).ConfigureAwait(false);
        if (ConnectionError is { } broken)
        {
            var flow = _proxy.Flows.Open(Client, Harness.Flows.FlowKind.Connection, TunnelHost ?? "", TunnelPort, Scheme);
            flow.HttpVersion = "HTTP/2.0";
            flow.Error = new Harness.Flows.FlowError(Harness.Flows.FlowErrorKind.ProtocolError, $"HTTP/2 connection error {broken.ErrorCode}: {broken.Message}");
            await _proxy.Flows.CompleteAsync(flow).ConfigureAwait(false);
        }
    }

    /// <summary>Hand the events to their streams. Returns false once the connection is over.</summary>
    private bool Dispatch(List<Http2Event> events)
    {
        var goOn = true;
        foreach (var ev in events)
        {
            switch (ev)
            {
                case Http2RequestReceived request:
                    var exchange = new Http2StreamExchange(this, request);
                    lock (_sync)
                    {
                        _exchanges[request.StreamId] = exchange;
                        StreamsServed++;
                        if (_running.Count > 64) _running.RemoveAll(t => t.IsCompleted);
                        _running.Add(RunExchangeAsync(exchange));
                    }
                    break;
                case Http2DataReceived data:
                    // Body for a stream whose exchange is over (answered early, failed): its window is released at once.
                    if (Find(data.StreamId)?.RequestData(data.Data, data.EndStream) != true) _orphanedData.Add((data.StreamId, data.Data.Length));
                    break;
                case Http2TrailersReceived trailers:
                    Find(trailers.StreamId)?.RequestTrailers(trailers.Fields);
                    break;
                case Http2StreamReset reset:
                    Find(reset.StreamId)?.Reset(reset.ErrorCode, reset.Origin);
                    break;
                case Http2SendBufferDrained drained:
                    Find(drained.StreamId)?.Drained();
                    break;
                case Http2ConnectionError error:
                    ConnectionError = error;
                    goOn = false;
                    break;
                case Http2GoAwayReceived:
                    // Streams already open run to their end; the client opens no new ones.
                    break;
            }
        }
        return goOn;
    }

    private Http2StreamExchange? Find(int streamId)
    {
        lock (_sync) return _exchanges.GetValueOrDefault(streamId);
    }

    private async Task RunExchangeAsync(Http2StreamExchange exchange)
    {
        // Off the read loop: the exchange waits on the origin and on addons.
        await Task.Yield();
        try
        {
            await exchange.RunAsync(_closing.Token).ConfigureAwait(false);
        }
        finally
        {
            lock (_sync) _exchanges.Remove(exchange.StreamId);
            if (exchange.DiscardUnread() is > 0 and var unread)
            {
                try { await SubmitAsync(h => h.ConsumeData(exchange.StreamId, unread), _closing.Token).ConfigureAwait(false); }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or ObjectDisposedException) { }
            }
        }
    }

    /// <summary>Change the connection state (submit a response, data, a reset, consume data) and send what it produced.</summary>
    public Task SubmitAsync(Action<Http2Connection> change, CancellationToken ct) => _wire.SubmitAsync(change, ct);

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        await Upstreams.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
        _wire.Dispose();
    }
}
