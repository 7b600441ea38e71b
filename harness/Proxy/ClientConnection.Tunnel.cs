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

/// <summary>CONNECT: TLS interception, plain HTTP inside a tunnel, opaque tunnels, and WebSocket sessions.</summary>
internal sealed partial class ClientConnection
{
    /// <summary>
    /// After our 200 to CONNECT: what the client sends first (already read, or one read within the idle timeout); empty
    /// when it closed or stayed silent. <see cref="Http1ClientLayer.TunnelStarted"/> decides what the tunnel is.
    /// </summary>
    private async Task<byte[]> ReadTunnelStartAsync(Stream client, Http1EventReader reader, CancellationToken ct)
    {
        var first = reader.TakeRemainder();
        if (first.Length > 0) return first;
        var buffer = new byte[16 * 1024];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.ClientIdleTimeout);
        int n;
        try { n = await client.ReadAsync(buffer, timeout.Token).ConfigureAwait(false); }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException) { n = 0; }
        return buffer[..n];
    }

    private Flow NewTunnelFlow(string host, int port, DateTimeOffset start)
    {
        var flow = proxy.Flows.Open(_client, FlowKind.Tunnel, host, port, "tcp", start);
        flow.Method = "CONNECT";
        return flow;
    }

    private async Task InterceptTlsAsync(Stream stream, string connectHost, int port, DateTimeOffset connectStart, CancellationToken ct)
    {
        var tls = new TlsInfo { Outcome = TlsOutcome.Failed };
        var coalescing = new WriteCoalescingStream(new ReadAheadStream(stream));
        var ssl = new SslStream(coalescing, leaveInnerStreamOpen: false);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(Options.TlsHandshakeTimeout);
            try
            {
                await ssl.AuthenticateAsServerAsync((_, hello, _, _) =>
                {
                    tls.Sni = string.IsNullOrEmpty(hello.ServerName) ? null : hello.ServerName;
                    return ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = proxy.LeafIssuer.GetContext(tls.Sni ?? connectHost),
                        ApplicationProtocols = TlsInterceptionPolicy.OfferedToClient(Options.Http2),
                        ClientCertificateRequired = false,
                    });
                }, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or SocketException or OperationCanceledException)
            {
                var failed = proxy.Flows.Open(_client, FlowKind.Connection, connectHost, port, "https", connectStart);
                failed.Method = "CONNECT";
                (tls.Outcome, tls.Detail, failed.Error) = TlsInterceptionPolicy.Failure(e, e is OperationCanceledException && !ct.IsCancellationRequested, Options.TlsHandshakeTimeout);
                failed.Tls = tls;
                await ssl.DisposeAsync().ConfigureAwait(false);
                var failure = new ProxySession(failed);
                await proxy.Addons.TlsFailureAsync(failure).ConfigureAwait(false);
                await proxy.Flows.CompleteAsync(failure).ConfigureAwait(false);
                return;
            }
        }

        // From here on the relay flushes whenever the client may be waiting, so TLS records can share send calls.
        coalescing.Coalescing = true;
        tls.Outcome = TlsOutcome.Intercepted;
        tls.Protocol = ssl.SslProtocol.ToString();
        tls.Alpn = ssl.NegotiatedApplicationProtocol == default ? null : ssl.NegotiatedApplicationProtocol.ToString();
        _client.Tls = tls;
        _client.TlsDone = Now;
        await using (ssl.ConfigureAwait(false))
        {
            var served = TlsInterceptionPolicy.IsHttp2(ssl.NegotiatedApplicationProtocol)
                ? await ServeHttp2Async(ssl, [], "https", connectHost, port, ct).ConfigureAwait(false)
                : await ServeHttpAsync(ssl, "https", connectHost, port, ct).ConfigureAwait(false);
            if (served == 0 && !ct.IsCancellationRequested)
            {
                // A client that completes the handshake and leaves (OkHttp's CertificatePinner checks after it) is worth seeing.
                var idle = proxy.Flows.Open(_client, FlowKind.Connection, connectHost, port, "https", connectStart);
                idle.Method = "CONNECT";
                idle.Error = new FlowError(FlowErrorKind.ClientAbort, "client closed the intercepted TLS connection without sending a request");
                await proxy.Flows.CompleteAsync(idle).ConfigureAwait(false);
            }
        }
    }

    private async Task RelayOpaqueTunnelAsync(Stream client, string host, int port, DateTimeOffset start, CancellationToken ct)
    {
        var flow = NewTunnelFlow(host, port, start);
        flow.Tls = new TlsInfo { Outcome = TlsOutcome.Passthrough };
        var fromClient = new BodyCapture(proxy.MaxBodyBytes);
        var fromServer = new BodyCapture(proxy.MaxBodyBytes);
        try
        {
            if (Options.UpstreamMode == UpstreamMode.Forward && !proxy.IsCanaryHost(host))
            {
                using var upstreamSocket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    timeout.CancelAfter(Options.UpstreamConnectTimeout);
                    var (address, addressPort) = Options.UpstreamAddressFor(host, port);
                    try { await upstreamSocket.ConnectAsync(address, addressPort, timeout.Token).ConfigureAwait(false); }
                    catch (Exception e) when (e is SocketException or OperationCanceledException)
                    {
                        var timedOut = e is OperationCanceledException && !ct.IsCancellationRequested;
                        flow.Error = new FlowError(timedOut ? FlowErrorKind.Timeout : FlowErrorKind.UpstreamError, $"cannot connect to {host}:{port}: {e.Message}");
                        flow.Tags[UpstreamFailureCause.TagName] = timedOut ? "timeout" : UpstreamFailureCause.Of(e);
                        return;
                    }
                }
                flow.Tags[AnsweredByTag] = AnsweredByUpstream;
                await using var upstream = new NetworkStream(upstreamSocket, ownsSocket: false);
                using var both = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var up = PumpAsync(client, upstream, fromClient, null, both);
                var down = PumpAsync(upstream, client, fromServer, null, both);
                await Task.WhenAll(up, down).ConfigureAwait(false);
            }
            else
            {
                flow.Tags[AnsweredByTag] = proxy.IsCanaryHost(host) ? CanaryPageAddon.AnsweredBy : SinkholeAddon.AnsweredBy;
                using var both = CancellationTokenSource.CreateLinkedTokenSource(ct);
                await PumpAsync(client, null, fromClient, null, both).ConfigureAwait(false);
            }
        }
        finally
        {
            flow.RequestBody = fromClient.ToFlowBody(null, null);
            flow.ResponseBody = fromServer.ToFlowBody(null, null);
            await proxy.Flows.CompleteAsync(flow).ConfigureAwait(false);
        }
    }

    /// <summary>Copy one direction until EOF or error, recording; then stop the other direction too.</summary>
    private async Task PumpAsync(Stream from, Stream? to, BodyCapture capture, Func<ReadOnlyMemory<byte>, ValueTask>? observe, CancellationTokenSource both)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int n;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(both.Token))
                {
                    idle.CancelAfter(Options.ClientIdleTimeout);
                    n = await from.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                }
                if (n == 0) break;
                capture.Append(buffer.AsSpan(0, n));
                if (observe is not null) await observe(buffer.AsMemory(0, n)).ConfigureAwait(false);
                if (to is not null)
                {
                    await to.WriteAsync(buffer.AsMemory(0, n), both.Token).ConfigureAwait(false);
                    await to.FlushAsync(both.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            await both.CancelAsync().ConfigureAwait(false);
            if (to is not null)
            {
                try { to.Close(); }
                catch (IOException) { }
            }
        }
    }

    private async Task RelayWebSocketAsync(Stream client, Http1EventReader clientReader, UpstreamConnection upstream, ProxySession session, CancellationToken ct)
    {
        var flow = session.Flow;
        var fromClient = new WebSocketMessageAssembler(fromClient: true, time: proxy.Time);
        var fromServer = new WebSocketMessageAssembler(fromClient: false, time: proxy.Time);
        var messages = new List<WebSocketMessage>();
        // Both directions feed one message list and raise the message event one at a time, in the order they complete.
        using var gate = new SemaphoreSlim(1, 1);
        async ValueTask Observe(WebSocketMessageAssembler assembler, ReadOnlyMemory<byte> data)
        {
            await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                var before = messages.Count;
                assembler.Feed(data.Span, messages);
                for (var i = before; i < messages.Count; i++) await proxy.Addons.WebSocketMessageAsync(session, messages[i]).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
        var clientRest = clientReader.TakeRemainder();
        var upstreamRest = upstream.Reader.TakeRemainder();
        await Observe(fromClient, clientRest).ConfigureAwait(false);
        await Observe(fromServer, upstreamRest).ConfigureAwait(false);
        if (clientRest.Length > 0) await upstream.Stream.WriteAsync(clientRest, ct).ConfigureAwait(false);
        if (upstreamRest.Length > 0) await client.WriteAsync(upstreamRest, ct).ConfigureAwait(false);
        await client.FlushAsync(ct).ConfigureAwait(false);
        await upstream.Stream.FlushAsync(ct).ConfigureAwait(false);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var up = PumpAsync(client, upstream.Stream, new BodyCapture(0), d => Observe(fromClient, d), both);
        var down = PumpAsync(upstream.Stream, client, new BodyCapture(0), d => Observe(fromServer, d), both);
        await Task.WhenAll(up, down).ConfigureAwait(false);
        await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        flow.WebSocketMessages = messages;
        gate.Release();
        flow.Timings.ResponseDone = Now;
    }

    /// <summary>Sinkhole/canary WebSocket, after the layer sent our 101: record what the client sends, answer pings and close.</summary>
    private async Task AcceptWebSocketLocallyAsync(Stream client, Http1EventReader reader, ProxySession session, CancellationToken ct)
    {
        var flow = session.Flow;
        var layer = new LocalWebSocketLayer(proxy.Time);
        var replies = new List<byte[]>();
        var pending = reader.TakeRemainder();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                replies.Clear();
                var first = layer.Feed(pending, replies);
                for (var i = first; i < layer.Messages.Count; i++) await proxy.Addons.WebSocketMessageAsync(session, layer.Messages[i]).ConfigureAwait(false);
                foreach (var reply in replies) await client.WriteAsync(reply, ct).ConfigureAwait(false);
                if (replies.Count > 0) await client.FlushAsync(ct).ConfigureAwait(false);
                if (layer.Closed) break;
                int n;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    idle.CancelAfter(Options.ClientIdleTimeout);
                    n = await client.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                }
                if (n == 0) break;
                pending = buffer[..n];
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
        }
        flow.WebSocketMessages = layer.Messages;
        flow.Timings.ResponseDone = Now;
    }
}
