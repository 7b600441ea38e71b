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

    /// <summary>Serve HTTP/1.1 requests on a client stream until it closes. Returns the number of requests served.</summary>
    private async Task<int> ServeHttpAsync(Stream client, string scheme, string? tunnelHost, int tunnelPort, CancellationToken ct)
    {
        var reader = new Http1EventReader(client, new Http1RequestParser(Options.Http1Limits)) { ReadTimeout = Options.ClientIdleTimeout };
        var served = 0;
        while (true)
        {
            Http1Event? ev;
            try
            {
                ev = await reader.NextAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or TimeoutException)
            {
                return served;
            }
            if (ev is null) return served;
            if (ev is Http1ParseError error)
            {
                await RecordProtocolErrorAsync(client, error, scheme, tunnelHost, tunnelPort).ConfigureAwait(false);
                return served;
            }
            if (ev is not Http1RequestHead head) return served;
            served++;
            if (head.IsConnect && tunnelHost is null)
            {
                await HandleConnectAsync(client, reader, head, ct).ConfigureAwait(false);
                return served;
            }
            var keepAlive = await HandleExchangeAsync(client, reader, head, scheme, tunnelHost, tunnelPort, ct).ConfigureAwait(false);
            if (!keepAlive) return served;
        }
    }

    private DateTimeOffset Now => proxy.Time.GetUtcNow();

    private async Task RecordProtocolErrorAsync(Stream client, Http1ParseError error, string scheme, string? host, int port)
    {
        var flow = proxy.Flows.Open(_client, FlowKind.Connection, host ?? "", port, scheme);
        flow.Error = new FlowError(FlowErrorKind.ProtocolError, error.Message);
        try
        {
            var reason = error.StatusCode switch { 431 => "Request Header Fields Too Large", 501 => "Not Implemented", 505 => "HTTP Version Not Supported", _ => "Bad Request" };
            await client.WriteAsync(Http1Writer.SimpleResponse(error.StatusCode, reason, error.Message + "\n", close: true)).ConfigureAwait(false);
            await client.FlushAsync().ConfigureAwait(false);
            flow.StatusCode = error.StatusCode;
            flow.Reason = reason;
        }
        catch (Exception e) when (e is IOException or SocketException) { }
        await proxy.Flows.CompleteAsync(flow).ConfigureAwait(false);
    }

    /// <summary>Flow tag naming who answered: the upstream, or the addon that answered locally.</summary>
    internal const string AnsweredByTag = "answeredBy";
    internal const string AnsweredByUpstream = "upstream";


    /// <summary>One request/response exchange. Returns whether the client connection stays open.</summary>
    private async Task<bool> HandleExchangeAsync(Stream client, Http1EventReader reader, Http1RequestHead head, string scheme, string? tunnelHost, int tunnelPort, CancellationToken ct)
    {
        if (!Http1RequestRouting.TryResolveTarget(head, scheme, tunnelHost, tunnelPort, out var host, out var port, out var urlScheme, out var originTarget, out var url))
        {
            var bad = proxy.Flows.Open(_client, FlowKind.Http, tunnelHost ?? "", tunnelPort, scheme);
            bad.Method = head.Method;
            bad.HttpVersion = head.Version;
            bad.RequestHeaders = [.. head.Headers];
            bad.Error = new FlowError(FlowErrorKind.ProtocolError, $"cannot tell where '{head.Target}' goes");
            bad.StatusCode = 400;
            bad.Reason = "Bad Request";
            await TryWriteAsync(client, Http1Writer.SimpleResponse(400, "Bad Request", "request target must be absolute-form or have a Host header\n", close: true)).ConfigureAwait(false);
            await proxy.Flows.CompleteAsync(bad).ConfigureAwait(false);
            return false;
        }

        var flow = proxy.Flows.Open(_client, FlowKind.Http, host, port, urlScheme);
        flow.Method = head.Method;
        flow.Url = url;
        flow.HttpVersion = head.Version;
        flow.RequestHeaders = [.. head.Headers];
        var session = new ProxySession(flow);
        var keepAlive = Http1RequestRouting.ClientWantsKeepAlive(head);
        var requestCapture = new BodyCapture(proxy.MaxBodyBytes);
        var responseCapture = new BodyCapture(proxy.MaxBodyBytes);
        if (head.Framing == Http1BodyFraming.ContentLength && head.ContentLength is { } requestLength) requestCapture.ExpectSize(requestLength);
        var requestComplete = false;
        var responseStarted = false;
        Http1ResponseRelayLayer? responseLayer = null;
        try
        {
            await proxy.Addons.RequestHeadersAsync(session).ConfigureAwait(false);
            if (head.ExpectContinue)
            {
                // We answer 100 ourselves and strip Expect upstream: the body streams to us either way.
                await ClientWriteAsync(client, "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), ct).ConfigureAwait(false);
                await ClientFlushAsync(client, ct).ConfigureAwait(false);
            }

            // Local answers (handlers, the library's addons, the canary page, the sinkhole) are addons on request headers.
            if (session.LocalResponse is { } local)
            {
                flow.Tags[AnsweredByTag] = session.AnsweredBy ?? ProxySession.AnsweredByHandler;
                await ReadRequestBodyAsync(reader, head, requestCapture, null, flow, ct).ConfigureAwait(false);
                requestComplete = true;
                FinishRequestBody(flow, head, requestCapture);
                await proxy.Addons.RequestCompleteAsync(session).ConfigureAwait(false);
                if (head.IsUpgrade && Http1RequestRouting.IsWebSocketRequest(head) && session.AnsweredBy is CanaryPageAddon.AnsweredBy or SinkholeAddon.AnsweredBy)
                {
                    await AcceptWebSocketLocallyAsync(client, reader, head, session, ct).ConfigureAwait(false);
                    return false;
                }
                if (head.IsUpgrade) reader.Resume();
                responseStarted = true;
                await SendLocalResponseAsync(client, head, local, flow, session, responseCapture, keepAlive, ct).ConfigureAwait(false);
                return keepAlive;
            }

            flow.Tags[AnsweredByTag] = AnsweredByUpstream;
            var upstream = await GetUpstreamAsync(host, port, urlScheme == "https", ct).ConfigureAwait(false);
            var upstreamHeaders = Http1RequestRouting.UpstreamHeaders(head);
            await UpstreamWriteAsync(upstream, Http1Writer.RequestHead(head.Method, originTarget, head.Version, upstreamHeaders), ct).ConfigureAwait(false);
            upstream.Parser.ExpectResponseTo(head.Method);
            await ReadRequestBodyAsync(reader, head, requestCapture, upstream, flow, ct).ConfigureAwait(false);
            requestComplete = true;
            await UpstreamFlushAsync(upstream, ct).ConfigureAwait(false);
            FinishRequestBody(flow, head, requestCapture);
            await proxy.Addons.RequestCompleteAsync(session).ConfigureAwait(false);

            responseLayer = new Http1ResponseRelayLayer(head, flow, responseCapture, proxy.Time, _coalesceScratch ??= new byte[Http1ResponseRelayLayer.CoalesceLimit]);
            var outcome = await RelayResponseAsync(client, upstream, responseLayer, session, ct).ConfigureAwait(false);
            if (!outcome.SwitchedProtocols) await proxy.Addons.ResponseCompleteAsync(session).ConfigureAwait(false);
            if (outcome.SwitchedProtocols)
            {
                await RelayWebSocketAsync(client, reader, upstream, session, ct).ConfigureAwait(false);
                _upstream = null;
                await upstream.DisposeAsync().ConfigureAwait(false);
                return false;
            }
            if (head.IsUpgrade) reader.Resume();
            if (!outcome.UpstreamKeepAlive)
            {
                _upstream = null;
                await upstream.DisposeAsync().ConfigureAwait(false);
            }
            return keepAlive && outcome.ClientKeepAlive;
        }
        catch (Exception e) when (e is UpstreamException or TimeoutException or ClientAbortException or IOException or SocketException or AuthenticationException or OperationCanceledException)
        {
            var failure = ExchangeFailure.Of(e, ct.IsCancellationRequested, responseStarted || responseLayer?.Started == true);
            failure.ApplyTo(flow);
            if (!requestComplete) FinishRequestBody(flow, head, requestCapture);
            if (responseCapture.Size > 0) flow.ResponseBody = responseCapture.ToFlowBody(Http1Headers.Get(flow.ResponseHeaders, "content-encoding"), Http1Headers.Get(flow.ResponseHeaders, "content-type"));
            if (_upstream is not null && flow.Error!.Kind != FlowErrorKind.ClientAbort)
            {
                await _upstream.DisposeAsync().ConfigureAwait(false);
                _upstream = null;
            }
            if (failure.Response is { } answer) await TryWriteAsync(client, answer).ConfigureAwait(false);
            return false;
        }
        finally
        {
            await proxy.Flows.CompleteAsync(session).ConfigureAwait(false);
        }
    }

    private void FinishRequestBody(Flow flow, Http1RequestHead head, BodyCapture capture)
    {
        flow.Timings.RequestDone = Now;
        if (capture.Size > 0 || head.Framing != Http1BodyFraming.None)
            flow.RequestBody = capture.ToFlowBody(Http1Headers.Get(head.Headers, "content-encoding"), Http1Headers.Get(head.Headers, "content-type"));
    }

    private async Task<UpstreamConnection> GetUpstreamAsync(string host, int port, bool tls, CancellationToken ct)
    {
        if (_upstream is { } existing)
        {
            if (existing.Matches(host, port, tls)) return existing;
            _upstream = null;
            await existing.DisposeAsync().ConfigureAwait(false);
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
        return _upstream;
    }

    /// <summary>Drain the request body from the client, keeping the first bytes and (in Forward mode) streaming it on.</summary>
    private async Task ReadRequestBodyAsync(Http1EventReader reader, Http1RequestHead head, BodyCapture capture, UpstreamConnection? upstream, Flow flow, CancellationToken ct)
    {
        var layer = new Http1RequestBodyLayer(head, flow, capture, toUpstream: upstream is not null);
        var commands = _commands;
        while (!layer.Complete)
        {
            Http1Event? ev;
            try
            {
                ev = await reader.NextAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                throw new ClientAbortException("client connection failed while sending the request body", e);
            }
            commands.Clear();
            layer.Handle(ev, commands);
            foreach (var command in commands) await UpstreamWriteAsync(upstream!, command.Data, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Commands from the current layer, executed before the next read (their data may point into the read buffer).</summary>
    private readonly List<ProxyCommand> _commands = [];

    /// <summary>Where a response head and its first body bytes are joined (one TLS record); reused by every exchange.</summary>
    private byte[]? _coalesceScratch;

    private async Task<Http1ResponseOutcome> RelayResponseAsync(Stream client, UpstreamConnection upstream, Http1ResponseRelayLayer layer, ProxySession session, CancellationToken ct)
    {
        var commands = _commands;
        // Client writes may sit in the TLS leg's coalescing buffer (WriteCoalescingStream): before waiting on the origin,
        // send them, so a streamed body (SSE, long poll) reaches the client as it arrives, not at the end.
        var unflushed = false;
        while (layer.Outcome is null)
        {
            Http1Event? ev;
            var next = upstream.Reader.NextAsync(ct);
            if (unflushed && !next.IsCompleted)
            {
                await ClientFlushAsync(client, ct).ConfigureAwait(false);
                unflushed = false;
            }
            try
            {
                ev = await next.ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException("upstream did not answer in time: " + e.Message);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                throw new UpstreamException("upstream connection failed while reading the response", e);
            }
            commands.Clear();
            layer.Handle(ev, commands);
            foreach (var command in commands)
            {
                switch (command.Kind)
                {
                    case ProxyCommandKind.ResponseHeaders:
                        await proxy.Addons.ResponseHeadersAsync(session).ConfigureAwait(false);
                        break;
                    case ProxyCommandKind.SendToClient:
                        await ClientWriteAsync(client, command.Data, ct).ConfigureAwait(false);
                        unflushed = true;
                        break;
                    case ProxyCommandKind.FlushClient:
                        await ClientFlushAsync(client, ct).ConfigureAwait(false);
                        unflushed = false;
                        break;
                }
            }
        }
        return layer.Outcome.Value;
    }

    private async Task SendLocalResponseAsync(Stream client, Http1RequestHead request, LocalResponse local, Flow flow, ProxySession session,
        BodyCapture capture, bool keepAlive, CancellationToken ct)
    {
        var headers = local.Headers.ToList();
        if (!headers.Any(h => h.Name.Equals("content-length", StringComparison.OrdinalIgnoreCase)))
            headers.Add(new HeaderField("Content-Length", local.Body.Length.ToString(CultureInfo.InvariantCulture)));
        if (!keepAlive) headers.Add(new HeaderField("Connection", "close"));
        flow.StatusCode = local.StatusCode;
        flow.Reason = local.Reason;
        flow.ResponseHeaders = headers;
        await proxy.Addons.ResponseHeadersAsync(session).ConfigureAwait(false);
        var isHead = request.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase);
        var body = isHead ? [] : local.Body;
        byte[] wire = [.. Http1Writer.ResponseHead(request.Version == "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1", local.StatusCode, local.Reason, headers), .. body];
        await ClientWriteAsync(client, wire, ct).ConfigureAwait(false);
        await ClientFlushAsync(client, ct).ConfigureAwait(false);
        capture.Append(body);
        flow.ResponseBody = capture.ToFlowBody(Http1Headers.Get(headers, "content-encoding"), Http1Headers.Get(headers, "content-type"));
        flow.Timings.ResponseDone = Now;
        await proxy.Addons.ResponseCompleteAsync(session).ConfigureAwait(false);
    }

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

    private static async Task TryWriteAsync(Stream stream, byte[] data)
    {
        try
        {
            await stream.WriteAsync(data).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
    }
}
