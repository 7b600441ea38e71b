using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using Harness.Flows;
using Harness.Proxy.Addons;
using Harness.Proxy.Http1;
using Harness.Proxy.Http2;
using Harness.Proxy.WebSockets;

namespace Harness.Proxy.Http2Proxy;

/// <summary>
/// WebSockets over an HTTP/2 stream (RFC 8441 extended CONNECT, <c>:protocol websocket</c>): answered by the proxy's own
/// endpoint (sinkhole, canary), or relayed to the origin over h2 when it accepts extended CONNECT, else over an
/// HTTP/1.1 upgrade. Either way the client's stream carries the WebSocket frames, and the flow records every message.
/// </summary>
internal sealed partial class Http2StreamExchange
{
    private bool IsExtendedConnect => request.Method == "CONNECT" && request.Protocol is not null;

    private async Task RunWebSocketAsync(ProxySession proxySession, string host, int port, string scheme, CancellationToken ct)
    {
        var flow = proxySession.Flow;
        flow.Kind = FlowKind.WebSocket;
        if (request.Protocol != "websocket")
        {
            flow.Error = new FlowError(FlowErrorKind.ProtocolError, $"extended CONNECT for '{request.Protocol}': only websocket is relayed");
            await RespondLocallyAsync(proxySession, LocalResponse.Text(501, "Not Implemented", "text/plain; charset=utf-8", "only :protocol websocket is relayed\n"), new Capture.BodyCapture(0), ct).ConfigureAwait(false);
            return;
        }
        if (proxySession.LocalResponse is { } local)
        {
            flow.Tags[ClientConnection.AnsweredByTag] = proxySession.AnsweredBy ?? ProxySession.AnsweredByHandler;
            if (proxySession.AnsweredBy is CanaryPageAddon.AnsweredBy or SinkholeAddon.AnsweredBy) await AcceptWebSocketLocallyAsync(proxySession, ct).ConfigureAwait(false);
            else await RespondLocallyAsync(proxySession, local, new Capture.BodyCapture(Proxy.MaxBodyBytes), ct).ConfigureAwait(false);
            return;
        }
        flow.Tags[ClientConnection.AnsweredByTag] = ClientConnection.AnsweredByUpstream;
        var tls = scheme == "https";
        var (h2, h1) = await session.Upstreams.AcquireAsync(host, port, tls, ct).ConfigureAwait(false);
        if (h2 is not null && await h2.AcceptsExtendedConnectAsync(Proxy.Options.UpstreamConnectTimeout, ct).ConfigureAwait(false))
        {
            flow.Tags[UpstreamProtocolTag] = "h2";
            await RelayWebSocketOverHttp2Async(h2, proxySession, ct).ConfigureAwait(false);
            return;
        }
        h1 ??= await session.Upstreams.ConnectHttp1Async(host, port, tls, ct).ConfigureAwait(false);
        flow.Tags[UpstreamProtocolTag] = "http/1.1";
        await using (h1.ConfigureAwait(false)) await RelayWebSocketOverHttp1Async(h1, proxySession, ct).ConfigureAwait(false);
    }

    /// <summary>Sinkhole/canary: accept with 200, record what the client sends, answer pings and the close.</summary>
    private async Task AcceptWebSocketLocallyAsync(ProxySession proxySession, CancellationToken ct)
    {
        var flow = proxySession.Flow;
        flow.StatusCode = 200;
        flow.Reason = "";
        await Proxy.Addons.ResponseHeadersAsync(proxySession).ConfigureAwait(false);
        _responseStarted = true;
        await session.SubmitAsync(h => h.SubmitResponse(StreamId, [new HeaderField(":status", "200")], endStream: false), ct).ConfigureAwait(false);
        var layer = new LocalWebSocketLayer(Proxy.Time);
        var replies = new List<byte[]>();
        try
        {
            await foreach (var part in _body.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (part.Data is not { } data) continue;
                await session.SubmitAsync(h => h.ConsumeData(StreamId, data.Length), ct).ConfigureAwait(false);
                replies.Clear();
                var first = layer.Feed(data, replies);
                for (var i = first; i < layer.Messages.Count; i++) await Proxy.Addons.WebSocketMessageAsync(proxySession, layer.Messages[i]).ConfigureAwait(false);
                foreach (var reply in replies) await SendToClientAsync(reply, end: false, ct).ConfigureAwait(false);
                if (layer.Closed) break;
            }
            if (!_responseEnded) await SendToClientAsync(ReadOnlyMemory<byte>.Empty, end: true, ct).ConfigureAwait(false);
        }
        finally
        {
            flow.WebSocketMessages = layer.Messages;
            flow.Timings.ResponseDone = Proxy.Time.GetUtcNow();
        }
    }

    private async Task RelayWebSocketOverHttp2Async(Http2UpstreamSession upstream, ProxySession proxySession, CancellationToken ct)
    {
        var flow = proxySession.Flow;
        var fields = request.Fields.Where(f => f.Name != "host").ToList();
        var (id, events) = await upstream.OpenAsync(fields, endStream: false, ct).ConfigureAwait(false);
        Http2ResponseReceived? response = null;
        while (response is null)
        {
            if (!await events.WaitToReadAsync(ct).ConfigureAwait(false)) throw new UpstreamException("origin closed the stream before answering the extended CONNECT");
            while (response is null && events.TryRead(out var ev))
            {
                if (ev is Http2StreamReset reset) throw new UpstreamException($"origin reset the extended CONNECT ({reset.ErrorCode})");
                if (ev is Http2ResponseReceived { IsInformational: false } final) response = final;
            }
        }
        await RelayHttp2ResponseHeadAsync(proxySession, response, ct).ConfigureAwait(false);
        if (response.EndStream || response.StatusCode is < 200 or >= 300)
        {
            // Refused: whatever body follows is a plain response.
            await foreach (var chunk in OriginDataAsync(events, ct).ConfigureAwait(false))
            {
                await SendToClientAsync(chunk, end: false, ct).ConfigureAwait(false);
                await upstream.SubmitAsync(h => h.ConsumeData(id, chunk.Length), ct).ConfigureAwait(false);
            }
            if (!_responseEnded) await SendToClientAsync(ReadOnlyMemory<byte>.Empty, end: true, ct).ConfigureAwait(false);
            return;
        }
        await RelayFramesAsync(proxySession,
            toOrigin: data => upstream.SendDataAsync(id, data, endStream: false, ct),
            endToOrigin: () => upstream.SendDataAsync(id, ReadOnlyMemory<byte>.Empty, endStream: true, ct),
            fromOrigin: OriginDataAsync(events, ct),
            originConsumed: n => upstream.SubmitAsync(h => h.ConsumeData(id, n), ct),
            ct).ConfigureAwait(false);
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> OriginDataAsync(ChannelReader<Http2Event> events, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var ev in events.ReadAllAsync(ct).ConfigureAwait(false))
        {
            if (ev is Http2DataReceived data)
            {
                if (data.Data.Length > 0) yield return data.Data;
                if (data.EndStream) yield break;
            }
            else if (ev is Http2StreamReset or Http2TrailersReceived)
            {
                yield break;
            }
        }
    }

    private async Task RelayWebSocketOverHttp1Async(UpstreamConnection upstream, ProxySession proxySession, CancellationToken ct)
    {
        var flow = proxySession.Flow;
        var authority = request.Authority ?? flow.Host;
        var headers = new List<HeaderField>
        {
            new("Host", authority),
            new("Upgrade", "websocket"),
            new("Connection", "Upgrade"),
            new("Sec-WebSocket-Version", "13"),
            new("Sec-WebSocket-Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))),
        };
        headers.AddRange(request.Headers.Where(h => h.Name is not ("host" or "sec-websocket-version" or "sec-websocket-key") && !h.Name.StartsWith(':')));
        try
        {
            await upstream.Stream.WriteAsync(Http1Writer.RequestHead("GET", request.Path ?? "/", "HTTP/1.1", headers), ct).ConfigureAwait(false);
            await upstream.Stream.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            throw new UpstreamException("upstream connection failed while sending the WebSocket upgrade", e);
        }
        upstream.Parser.ExpectResponseTo("GET");
        Http1ResponseHead? head = null;
        while (head is null)
        {
            var ev = await upstream.Reader.NextAsync(ct).ConfigureAwait(false);
            head = ev switch
            {
                Http1ResponseHead { IsInterim: true } => null,
                Http1ResponseHead final => final,
                Http1ParseError error => throw new UpstreamException("bad response from upstream: " + error.Message),
                null => throw new UpstreamException("upstream closed the connection before answering the WebSocket upgrade"),
                _ => throw new UpstreamException("unexpected " + ev.GetType().Name + " from upstream"),
            };
        }
        flow.StatusCode = head.StatusCode == 101 ? 200 : head.StatusCode;
        flow.Reason = head.Reason;
        flow.ResponseHeaders = [.. head.Headers];
        flow.Tags["upstreamStatus"] = head.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Proxy.Addons.ResponseHeadersAsync(proxySession).ConfigureAwait(false);
        // The h1 handshake's own fields (Upgrade, Connection, Sec-WebSocket-Accept) belong to that hop only.
        var kept = head.Headers.Where(h => !h.Name.Equals("sec-websocket-accept", StringComparison.OrdinalIgnoreCase));
        _responseStarted = true;
        if (head.StatusCode != 101)
        {
            await session.SubmitAsync(h => h.SubmitResponse(StreamId, Http2Translation.ToHttp2ResponseFields(head.StatusCode, kept), endStream: true), ct).ConfigureAwait(false);
            _responseEnded = true;
            return;
        }
        await session.SubmitAsync(h => h.SubmitResponse(StreamId, Http2Translation.ToHttp2ResponseFields(200, kept), endStream: false), ct).ConfigureAwait(false);
        await RelayFramesAsync(proxySession,
            toOrigin: async data =>
            {
                await upstream.Stream.WriteAsync(data, ct).ConfigureAwait(false);
                await upstream.Stream.FlushAsync(ct).ConfigureAwait(false);
            },
            endToOrigin: () =>
            {
                upstream.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                return Task.CompletedTask;
            },
            fromOrigin: OriginBytesAsync(upstream, ct),
            originConsumed: _ => Task.CompletedTask,
            ct).ConfigureAwait(false);
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> OriginBytesAsync(UpstreamConnection upstream, [EnumeratorCancellation] CancellationToken ct)
    {
        var rest = upstream.Reader.TakeRemainder();
        if (rest.Length > 0) yield return rest;
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n;
            try { n = await upstream.Stream.ReadAsync(buffer, ct).ConfigureAwait(false); }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException) { yield break; }
            if (n == 0) yield break;
            yield return buffer.AsMemory(0, n);
        }
    }

    /// <summary>Both directions at once, each assembled into messages; ends when either side ends its half.</summary>
    private async Task RelayFramesAsync(ProxySession proxySession, Func<ReadOnlyMemory<byte>, Task> toOrigin, Func<Task> endToOrigin,
        IAsyncEnumerable<ReadOnlyMemory<byte>> fromOrigin, Func<int, Task> originConsumed, CancellationToken ct)
    {
        var flow = proxySession.Flow;
        var fromClient = new WebSocketMessageAssembler(fromClient: true, time: Proxy.Time);
        var fromServer = new WebSocketMessageAssembler(fromClient: false, time: Proxy.Time);
        var messages = new List<WebSocketMessage>();
        using var gate = new SemaphoreSlim(1, 1);
        async Task ObserveAsync(WebSocketMessageAssembler assembler, ReadOnlyMemory<byte> data)
        {
            await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                var before = messages.Count;
                assembler.Feed(data.Span, messages);
                for (var i = before; i < messages.Count; i++) await Proxy.Addons.WebSocketMessageAsync(proxySession, messages[i]).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct);
        async Task UpAsync()
        {
            await foreach (var part in _body.Reader.ReadAllAsync(either.Token).ConfigureAwait(false))
            {
                if (part.Data is not { } data) continue;
                await ObserveAsync(fromClient, data).ConfigureAwait(false);
                await toOrigin(data).ConfigureAwait(false);
                await session.SubmitAsync(h => h.ConsumeData(StreamId, data.Length), either.Token).ConfigureAwait(false);
            }
            await endToOrigin().ConfigureAwait(false);
        }
        async Task DownAsync()
        {
            await foreach (var chunk in fromOrigin.WithCancellation(either.Token).ConfigureAwait(false))
            {
                await ObserveAsync(fromServer, chunk).ConfigureAwait(false);
                await SendToClientAsync(chunk, end: false, either.Token).ConfigureAwait(false);
                await originConsumed(chunk.Length).ConfigureAwait(false);
            }
            if (!_responseEnded) await SendToClientAsync(ReadOnlyMemory<byte>.Empty, end: true, either.Token).ConfigureAwait(false);
        }
        var up = UpAsync();
        var down = DownAsync();
        try
        {
            // The origin's end (or close frame) ends the session; the client's end of its half is passed on and waited for.
            await down.ConfigureAwait(false);
        }
        finally
        {
            await either.CancelAsync().ConfigureAwait(false);
            try { await up.ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException or UpstreamException or ObjectDisposedException) { }
            await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            flow.WebSocketMessages = messages;
            gate.Release();
            flow.Timings.ResponseDone = Proxy.Time.GetUtcNow();
        }
    }
}
