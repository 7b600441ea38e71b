using Harness.Proxy.Http2;

namespace Harness.Proxy.Http2Proxy;

/// <summary>
/// Origin connections for the streams of one HTTP/2 client connection: an origin that chooses h2 gets one shared
/// connection; one that chooses http/1.1 gets a connection per concurrent stream, kept for reuse while idle.
/// </summary>
internal sealed class Http2UpstreamPool(InterceptingProxyOptions options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Http2UpstreamSession> _http2 = [];
    private readonly Dictionary<string, Stack<UpstreamConnection>> _idle = [];
    private readonly HashSet<string> _http11Origins = [];
    private readonly List<IAsyncDisposable> _all = [];

    private static string Key(string host, int port, bool tls) => $"{(tls ? "https" : "http")}://{host.ToLowerInvariant()}:{port}";

    /// <summary>An h2 session (shared) or an h1 connection (this stream's until <see cref="Release"/>).</summary>
    public async Task<(Http2UpstreamSession? Http2, UpstreamConnection? Http1)> AcquireAsync(string host, int port, bool tls, CancellationToken ct)
    {
        var key = Key(host, port, tls);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_http2.TryGetValue(key, out var shared) && shared.IsUsable) return (shared, null);
            if (_idle.TryGetValue(key, out var idle))
            {
                while (idle.TryPop(out var connection))
                {
                    if (connection.Matches(host, port, tls)) return (null, connection);
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }
            // Plain http goes as HTTP/1.1; over TLS the first connection learns what the origin speaks (h2c upgrade is not offered).
            if (tls && !_http11Origins.Contains(key))
            {
                var transport = await ConnectAsync(host, port, tls, UpstreamTransport.Http2OrHttp11, ct).ConfigureAwait(false);
                if (transport.IsHttp2)
                {
                    var session = new Http2UpstreamSession(transport);
                    lock (_all) _all.Add(session);
                    await session.StartAsync(ct).ConfigureAwait(false);
                    _http2[key] = session;
                    return (session, null);
                }
                _http11Origins.Add(key);
                return (null, Http1(transport));
            }
        }
        finally
        {
            _gate.Release();
        }
        return (null, Http1(await ConnectAsync(host, port, tls, UpstreamTransport.Http11Only, ct).ConfigureAwait(false)));
    }

    /// <summary>A new HTTP/1.1 connection of the caller's own (a WebSocket upgrade when the origin's h2 lacks extended CONNECT).</summary>
    public async Task<UpstreamConnection> ConnectHttp1Async(string host, int port, bool tls, CancellationToken ct) =>
        Http1(await ConnectAsync(host, port, tls, UpstreamTransport.Http11Only, ct).ConfigureAwait(false));

    private UpstreamConnection Http1(UpstreamTransport transport)
    {
        var connection = UpstreamConnection.Over(transport, options);
        connection.Reader.ReadTimeout = options.UpstreamResponseTimeout;
        return connection;
    }

    private async Task<UpstreamTransport> ConnectAsync(string host, int port, bool tls, List<System.Net.Security.SslApplicationProtocol> alpn, CancellationToken ct)
    {
        try
        {
            return await UpstreamTransport.ConnectAsync(host, port, tls, alpn, options, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            throw new UpstreamException($"cannot connect to {host}:{port}", e);
        }
    }

    /// <summary>Give an h1 connection back after its exchange: kept if it can carry another, closed otherwise.</summary>
    public async ValueTask ReleaseAsync(UpstreamConnection connection, bool reusable)
    {
        if (!reusable)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return;
        }
        var key = Key(connection.Host, connection.Port, connection.Tls);
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!_idle.TryGetValue(key, out var idle)) _idle[key] = idle = new Stack<UpstreamConnection>();
            idle.Push(connection);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var idle in _idle.Values)
        {
            while (idle.TryPop(out var connection)) await connection.DisposeAsync().ConfigureAwait(false);
        }
        IAsyncDisposable[] all;
        lock (_all) all = [.. _all];
        foreach (var session in all) await session.DisposeAsync().ConfigureAwait(false);
        _gate.Release();
        _gate.Dispose();
    }
}
