using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Harness.Flows;
using Harness.Proxy.Addons;
using Harness.Proxy.Capture;
using Harness.Proxy.Http1;
using Harness.Proxy.Layers;
using Harness.Proxy.WebSockets;

namespace Harness.Proxy;

/// <summary>
/// One client TCP connection: HTTP requests, CONNECT, then TLS interception or an opaque tunnel.
/// Every exchange becomes exactly one recorded flow, whatever goes wrong.
/// </summary>
internal sealed partial class ClientConnection(InterceptingProxy proxy, Socket socket)
{
    private readonly ClientContext _client = new(socket.RemoteEndPoint?.ToString() ?? "?");
    private InterceptingProxyOptions Options => proxy.Options;
    private UpstreamConnection? _upstream;

    public async Task RunAsync(CancellationToken stopping)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            await ServePlainAsync(stream, [], null, 0, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or TimeoutException or ClientAbortException or AuthenticationException)
        {
            // Connection-level failure between exchanges; exchanges record their own failures.
        }
        finally
        {
            if (_upstream is not null) await _upstream.DisposeAsync().ConfigureAwait(false);
            try { await stream.DisposeAsync().ConfigureAwait(false); }
            catch (IOException) { }
        }
    }

    /// <summary>
    /// Serve HTTP/1.1 requests on a client stream until it closes: the pump around <see cref="Http1ClientLayer"/>. It reads,
    /// feeds the layer, and executes its commands (sockets, the upstream connection, addons, flows); the HTTP decisions
    /// are the layer's. Returns the number of requests served. One async method for the connection's life, with the
    /// command loop inline: a helper per batch would be another async state machine per request on the keep-alive path.
    /// </summary>
    private async Task<int> ServeHttpAsync(Stream client, string scheme, string? tunnelHost, int tunnelPort, CancellationToken ct)
    {
        var reader = new Http1EventReader(client, new Http1RequestParser(Options.Http1Limits)) { ReadTimeout = Options.ClientIdleTimeout };
        var layer = new Http1ClientLayer(scheme, tunnelHost, tunnelPort, proxy.MaxBodyBytes, proxy.Time, _coalesceScratch ??= new byte[Http1ResponseRelayLayer.CoalesceLimit]);
        // One list per connection (a tunnel serves its own connection inside a command of this one); commands run before
        // the next read, as their data may point into the read buffer.
        var commands = new List<ProxyCommand>();
        Flow? open = null;
        byte[] tunnelStart = [];
        Exception? failure = null;
        // Client writes may sit in the TLS leg's coalescing buffer (WriteCoalescingStream): before waiting on the origin,
        // send them, so a streamed body (SSE, long poll) reaches the client as it arrives, not at the end.
        var unflushed = false;
        try
        {
            while (true)
            {
                commands.Clear();
                if (failure is not null)
                {
                    layer.Fail(failure, ct.IsCancellationRequested, commands);
                    failure = null;
                }
                try
                {
                    if (commands.Count == 0)
                    {
                        switch (layer.Wants)
                        {
                            case Http1ClientWants.ClientEvent or Http1ClientWants.UpstreamEvent:
                                var fromUpstream = layer.Wants == Http1ClientWants.UpstreamEvent;
                                Http1Event? ev;
                                try
                                {
                                    var next = fromUpstream ? _upstream!.Reader.NextAsync(ct) : reader.NextAsync(ct);
                                    if (fromUpstream && unflushed && !next.IsCompleted)
                                    {
                                        await ClientFlushAsync(client, ct).ConfigureAwait(false);
                                        unflushed = false;
                                    }
                                    ev = await next.ConfigureAwait(false);
                                }
                                catch (Exception e) when (e is IOException or SocketException or TimeoutException)
                                {
                                    if (fromUpstream) layer.UpstreamReadFailed(e, commands);
                                    else layer.ClientReadFailed(e, commands);
                                    break;
                                }
                                if (fromUpstream) layer.HandleUpstream(ev, commands);
                                else layer.HandleClient(ev, commands);
                                break;
                            case Http1ClientWants.TunnelStart:
                                tunnelStart = await ReadTunnelStartAsync(client, reader, ct).ConfigureAwait(false);
                                layer.TunnelStarted(tunnelStart, commands);
                                break;
                            case Http1ClientWants.Continue:
                                layer.Continue(commands);
                                break;
                            default:
                                return layer.RequestsServed;
                        }
                    }
                    // Indexed: OpenFlow hands the flow to the layer, which appends the commands that follow to this batch.
                    for (var i = 0; i < commands.Count; i++)
                    {
                        var command = commands[i];
                        switch (command.Kind)
                        {
                            case ProxyCommandKind.SendToClient:
                                await ClientWriteAsync(client, command.Data, ct).ConfigureAwait(false);
                                unflushed = true;
                                break;
                            case ProxyCommandKind.FlushClient:
                                await ClientFlushAsync(client, ct).ConfigureAwait(false);
                                unflushed = false;
                                break;
                            case ProxyCommandKind.TrySendToClient:
                                await TryWriteAsync(client, command.Data).ConfigureAwait(false);
                                break;
                            case ProxyCommandKind.SendToUpstream:
                                await UpstreamWriteAsync(_upstream!, command.Data, ct).ConfigureAwait(false);
                                break;
                            case ProxyCommandKind.FlushUpstream:
                                await UpstreamFlushAsync(_upstream!, ct).ConfigureAwait(false);
                                break;
                            case ProxyCommandKind.RaiseAddonEvent:
                                await RaiseAsync(command.Event, layer.Session!).ConfigureAwait(false);
                                break;
                            case ProxyCommandKind.OpenFlow:
                                open = proxy.Flows.Open(_client, command.FlowKind, command.Host!, command.Port, command.Scheme!, command.Start == default ? null : command.Start);
                                layer.FlowOpened(open, commands);
                                break;
                            case ProxyCommandKind.CompleteFlow:
                                open = null;
                                layer.FlowCompleted();
                                await proxy.Flows.CompleteAsync(layer.Session!).ConfigureAwait(false);
                                break;
                            case ProxyCommandKind.ConnectUpstream:
                                await GetUpstreamAsync(command.Host!, command.Port, command.Tls, ct).ConfigureAwait(false);
                                break;
                            case ProxyCommandKind.ExpectUpstreamResponse:
                                _upstream!.Parser.ExpectResponseTo(command.Method!);
                                break;
                            case ProxyCommandKind.CloseUpstream:
                                await CloseUpstreamAsync().ConfigureAwait(false);
                                break;
                            case ProxyCommandKind.ResumeClient:
                                reader.Resume();
                                break;
                            case ProxyCommandKind.InterceptTls:
                                await InterceptTlsAsync(new PrefixedStream(tunnelStart, client), command.Host!, command.Port, command.Start, ct).ConfigureAwait(false);
                                break;
                            case ProxyCommandKind.ServePlainTunnel:
                                // Plain HTTP through a tunnel (ws:// or http:// via CONNECT): parsed like any other request.
                                await ServePlainAsync(client, tunnelStart, command.Host!, command.Port, ct).ConfigureAwait(false);
                                break;
                            case ProxyCommandKind.RelayOpaqueTunnel:
                                await RelayOpaqueTunnelAsync(new PrefixedStream(tunnelStart, client), command.Host!, command.Port, command.Start, ct).ConfigureAwait(false);
                                break;
                            case ProxyCommandKind.RelayWebSocket:
                                await RelayWebSocketAsync(client, reader, _upstream!, layer.Session!, ct).ConfigureAwait(false);
                                break;
                            case ProxyCommandKind.AcceptWebSocketLocally:
                                await AcceptWebSocketLocallyAsync(client, reader, layer.Session!, ct).ConfigureAwait(false);
                                break;
                            case ProxyCommandKind.Close:
                                break;
                        }
                    }
                }
                catch (Exception e) when (e is UpstreamException or TimeoutException or ClientAbortException or IOException or SocketException or AuthenticationException or OperationCanceledException)
                {
                    failure = e;
                }
            }
        }
        finally
        {
            // Whatever escaped (a bug, an unexpected exception), the exchange still gets its one flow.
            if (open is not null) await proxy.Flows.CompleteAsync(layer.Session!).ConfigureAwait(false);
        }
    }

    private DateTimeOffset Now => proxy.Time.GetUtcNow();

    /// <summary>Flow tag naming who answered: the upstream, or the addon that answered locally.</summary>
    internal const string AnsweredByTag = "answeredBy";
    internal const string AnsweredByUpstream = "upstream";

    private ValueTask RaiseAsync(AddonEvent addonEvent, ProxySession session) => addonEvent switch
    {
        AddonEvent.RequestHeaders => proxy.Addons.RequestHeadersAsync(session),
        AddonEvent.RequestComplete => proxy.Addons.RequestCompleteAsync(session),
        AddonEvent.ResponseHeaders => proxy.Addons.ResponseHeadersAsync(session),
        _ => proxy.Addons.ResponseCompleteAsync(session),
    };

    private async Task GetUpstreamAsync(string host, int port, bool tls, CancellationToken ct)
    {
        if (_upstream is { } existing)
        {
            if (existing.Matches(host, port, tls)) return;
            await CloseUpstreamAsync().ConfigureAwait(false);
        }
        try
        {
            _upstream = await UpstreamConnection.ConnectAsync(host, port, tls, Options, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            throw new UpstreamException($"cannot connect to {host}:{port}", e);
        }
        _upstream.Reader.ReadTimeout = Options.UpstreamResponseTimeout;
    }

    private async Task CloseUpstreamAsync()
    {
        if (_upstream is not { } upstream) return;
        _upstream = null;
        await upstream.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Where a response head and its first body bytes are joined (one TLS record); reused by every exchange.</summary>
    private byte[]? _coalesceScratch;

    private static async Task ClientWriteAsync(Stream client, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        try { await client.WriteAsync(data, ct).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new ClientAbortException("client went away while receiving the response", e);
        }
    }

    private static async Task ClientFlushAsync(Stream client, CancellationToken ct)
    {
        try { await client.FlushAsync(ct).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new ClientAbortException("client went away while receiving the response", e);
        }
    }

    private static async Task UpstreamWriteAsync(UpstreamConnection upstream, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        try { await upstream.Stream.WriteAsync(data, ct).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new UpstreamException("upstream connection failed while sending the request", e);
        }
    }

    private static async Task UpstreamFlushAsync(UpstreamConnection upstream, CancellationToken ct)
    {
        try { await upstream.Stream.FlushAsync(ct).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new UpstreamException("upstream connection failed while sending the request", e);
        }
    }

    private static async Task TryWriteAsync(Stream stream, ReadOnlyMemory<byte> data)
    {
        try
        {
            await stream.WriteAsync(data).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
    }
}
