using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using Harness.Flows;
using Harness.Proxy.Capture;
using Harness.Proxy.Http1;
using Harness.Proxy.Http2;
using Harness.Proxy.Layers;

namespace Harness.Proxy.Http2Proxy;

/// <summary>
/// One stream of an HTTP/2 client connection: one request, one response, one flow (HTTP/2.0). The request's
/// body arrives from the session's read loop through a channel; the response goes back through the session. The
/// origin is reached over h2 when it chose h2, else over an HTTP/1.1 connection of its own.
/// </summary>
internal sealed partial class Http2StreamExchange(Http2ClientSession session, Http2RequestReceived request)
{
    /// <summary>Response bytes held in the client stream's send buffer above which relaying waits for its window.</summary>
    private const long MaxBufferedToClient = 256 * 1024;

    private readonly Channel<Http2RequestPart> _body = Channel.CreateUnbounded<Http2RequestPart>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _reset = new();
    private TaskCompletionSource? _drained;
    private Http2ErrorCode? _resetByClient;
    private bool _responseStarted;
    private bool _responseEnded;

    private InterceptingProxy Proxy => session.Proxy;
    public int StreamId => request.StreamId;

    /// <summary>Body bytes from the client; false when the exchange no longer takes them (the caller releases their window).</summary>
    public bool RequestData(ReadOnlyMemory<byte> data, bool end)
    {
        // The bytes may point into the session's read buffer: the exchange reads them later, on its own task.
        var taken = data.Length == 0 || _body.Writer.TryWrite(new Http2RequestPart(data.ToArray(), null, false));
        if (end) _body.Writer.TryComplete();
        return taken;
    }

    /// <summary>The exchange is over: no more body is taken; returns the bytes it received and never passed on.</summary>
    public int DiscardUnread()
    {
        _body.Writer.TryComplete();
        var unread = 0;
        while (_body.Reader.TryRead(out var part)) unread += part.Data?.Length ?? 0;
        return unread;
    }

    public void RequestTrailers(IReadOnlyList<HeaderField> trailers)
    {
        _body.Writer.TryWrite(new Http2RequestPart(null, trailers, true));
        _body.Writer.TryComplete();
    }

    public void Reset(Http2ErrorCode code, Http2ResetOrigin origin)
    {
        _resetByClient ??= code;
        _body.Writer.TryComplete();
        _reset.Cancel();
        _drained?.TrySetResult();
    }

    public void Drained() => _drained?.TrySetResult();

    public async Task RunAsync(CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _reset.Token);
        var ct = linked.Token;
        var resolved = Http2Translation.TryResolve(request, session.Scheme, session.TunnelHost, session.TunnelPort, out var host, out var port, out var scheme, out var url);
        var flow = Proxy.Flows.Open(session.Client, FlowKind.Http, resolved ? host : session.TunnelHost ?? "", resolved ? port : session.TunnelPort, resolved ? scheme : session.Scheme);
        flow.Method = request.Method;
        flow.Url = resolved ? url : null;
        flow.HttpVersion = "HTTP/2.0";
        flow.RequestHeaders = [.. request.Headers];
        var proxySession = new ProxySession(flow);
        var requestCapture = new BodyCapture(Proxy.MaxBodyBytes);
        var responseCapture = new BodyCapture(Proxy.MaxBodyBytes);
        var requestDone = false;
        try
        {
            if (!resolved)
            {
                flow.Error = new FlowError(FlowErrorKind.ProtocolError, "HTTP/2 request without :authority or Host");
                await RespondLocallyAsync(proxySession, LocalResponse.Text(400, "Bad Request", "text/plain; charset=utf-8", "request needs :authority\n"), responseCapture, ct).ConfigureAwait(false);
                return;
            }
            if (IsExtendedConnect) flow.Kind = FlowKind.WebSocket;
            await Proxy.Addons.RequestHeadersAsync(proxySession).ConfigureAwait(false);
            if (IsExtendedConnect)
            {
                requestDone = true;
                await RunWebSocketAsync(proxySession, host, port, scheme, ct).ConfigureAwait(false);
                return;
            }
            if (proxySession.LocalResponse is { } local)
            {
                flow.Tags[ClientConnection.AnsweredByTag] = proxySession.AnsweredBy ?? ProxySession.AnsweredByHandler;
                await ReadRequestBodyAsync(flow, requestCapture, null, ct).ConfigureAwait(false);
                requestDone = true;
                await Proxy.Addons.RequestCompleteAsync(proxySession).ConfigureAwait(false);
                await RespondLocallyAsync(proxySession, local, responseCapture, ct).ConfigureAwait(false);
                return;
            }
            flow.Tags[ClientConnection.AnsweredByTag] = ClientConnection.AnsweredByUpstream;
            var (h2, h1) = await session.Upstreams.AcquireAsync(host, port, scheme == "https", ct).ConfigureAwait(false);
            if (h2 is not null)
            {
                flow.Tags[UpstreamProtocolTag] = "h2";
                await ForwardOverHttp2Async(h2, proxySession, requestCapture, responseCapture, () => requestDone = true, ct).ConfigureAwait(false);
            }
            else
            {
                flow.Tags[UpstreamProtocolTag] = "http/1.1";
                await ForwardOverHttp1Async(h1!, proxySession, requestCapture, responseCapture, () => requestDone = true, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is UpstreamException or TimeoutException or ClientAbortException or IOException or SocketException or AuthenticationException or OperationCanceledException or ChannelClosedException or InvalidOperationException)
        {
            var cause = _resetByClient is { } code ? new ClientAbortException($"client reset the stream ({code})", e) : e;
            var failure = ExchangeFailure.Of(cause, stopping.IsCancellationRequested, _responseStarted);
            failure.ApplyTo(flow);
            if (!requestDone) FinishRequestBody(flow, requestCapture);
            if (responseCapture.Size > 0) flow.ResponseBody = responseCapture.ToFlowBody(Http1Headers.Get(flow.ResponseHeaders, "content-encoding"), Http1Headers.Get(flow.ResponseHeaders, "content-type"));
            await AnswerFailureAsync(failure).ConfigureAwait(false);
        }
        finally
        {
            await Proxy.Flows.CompleteAsync(proxySession).ConfigureAwait(false);
            _reset.Dispose();
        }
    }

    /// <summary>Flow tag: the protocol the origin was reached over ("h2" or "http/1.1").</summary>
    public const string UpstreamProtocolTag = "upstreamProtocol";

    private async Task AnswerFailureAsync(ExchangeFailure failure)
    {
        if (_resetByClient is not null || _responseEnded) return;
        try
        {
            if (failure.Status is { } status && !_responseStarted)
            {
                var body = System.Text.Encoding.UTF8.GetBytes(failure.Error.Message + "\n");
                await session.SubmitAsync(h =>
                {
                    h.SubmitResponse(StreamId, Http2Translation.ToHttp2ResponseFields(status, [new HeaderField("content-type", "text/plain; charset=utf-8"), new HeaderField("content-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))]), endStream: false);
                    h.SendData(StreamId, body, endStream: true);
                }, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await session.SubmitAsync(h => h.ResetStream(StreamId, Http2ErrorCode.InternalError), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client connection is gone as well; the flow already says what failed.
        }
    }

    private void FinishRequestBody(Flow flow, BodyCapture capture)
    {
        flow.Timings.RequestDone = Proxy.Time.GetUtcNow();
        if (capture.Size > 0 || !request.EndStream)
            flow.RequestBody = capture.ToFlowBody(Http2HeaderFields.Get(request.Fields, "content-encoding"), Http2HeaderFields.Get(request.Fields, "content-type"));
    }

    /// <summary>Read the client's body to its end, keeping it for the flow and handing each piece on.</summary>
    private async Task ReadRequestBodyAsync(Flow flow, BodyCapture capture, Func<Http2RequestPart, Task>? forward, CancellationToken ct)
    {
        if (!request.EndStream)
        {
            await foreach (var part in _body.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (part.Data is { } data)
                {
                    capture.Append(data);
                    if (forward is not null) await forward(part).ConfigureAwait(false);
                    // Passed on: the client may send that much more.
                    await session.SubmitAsync(h => h.ConsumeData(StreamId, data.Length), ct).ConfigureAwait(false);
                }
                if (part.Trailers is { } trailers) flow.RequestTrailers = [.. trailers];
            }
            if (_resetByClient is not null) throw new ClientAbortException("client reset the stream before its body was complete");
        }
        if (forward is not null) await forward(new Http2RequestPart(null, flow.RequestTrailers, true)).ConfigureAwait(false);
        FinishRequestBody(flow, capture);
    }

    private async Task RespondLocallyAsync(ProxySession proxySession, LocalResponse local, BodyCapture capture, CancellationToken ct)
    {
        var flow = proxySession.Flow;
        var headers = local.Headers.ToList();
        if (!headers.Any(h => h.Name.Equals("content-length", StringComparison.OrdinalIgnoreCase)))
            headers.Add(new HeaderField("content-length", local.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        flow.StatusCode = local.StatusCode;
        flow.Reason = local.Reason;
        flow.ResponseHeaders = headers;
        await Proxy.Addons.ResponseHeadersAsync(proxySession).ConfigureAwait(false);
        var body = request.Method == "HEAD" ? [] : local.Body;
        _responseStarted = true;
        await session.SubmitAsync(h =>
        {
            h.SubmitResponse(StreamId, Http2Translation.ToHttp2ResponseFields(local.StatusCode, headers), endStream: body.Length == 0);
            if (body.Length > 0) h.SendData(StreamId, body, endStream: true);
        }, ct).ConfigureAwait(false);
        _responseEnded = true;
        capture.Append(body);
        flow.ResponseBody = capture.ToFlowBody(Http1Headers.Get(headers, "content-encoding"), Http1Headers.Get(headers, "content-type"));
        flow.Timings.ResponseDone = Proxy.Time.GetUtcNow();
        await Proxy.Addons.ResponseCompleteAsync(proxySession).ConfigureAwait(false);
    }

    /// <summary>Send response body bytes to the client; waits while its windows hold too much of this stream back.</summary>
    private async Task SendToClientAsync(ReadOnlyMemory<byte> data, bool end, CancellationToken ct)
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _drained = drained;
        long buffered = 0;
        await session.SubmitAsync(h => buffered = h.SendData(StreamId, data.Span, end), ct).ConfigureAwait(false);
        if (end) _responseEnded = true;
        if (buffered > MaxBufferedToClient) await drained.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    private async Task ForwardOverHttp1Async(UpstreamConnection upstream, ProxySession proxySession, BodyCapture requestCapture, BodyCapture responseCapture, Action requestDone, CancellationToken ct)
    {
        var flow = proxySession.Flow;
        var reusable = false;
        try
        {
            var authority = request.Authority ?? Http2HeaderFields.Get(request.Fields, "host") ?? flow.Host;
            var headers = Http2Translation.ToHttp1RequestHeaders(request, authority, hasBody: !request.EndStream);
            var chunked = headers.Any(h => h.Name == "transfer-encoding");
            await WriteUpstreamAsync(upstream, Http1Writer.RequestHead(request.Method, request.Path ?? "/", "HTTP/1.1", headers), ct).ConfigureAwait(false);
            upstream.Parser.ExpectResponseTo(request.Method);
            await ReadRequestBodyAsync(flow, requestCapture, async part =>
            {
                if (part.Data is { } data)
                {
                    if (chunked) await WriteUpstreamAsync(upstream, Http1Writer.ChunkHeader(data.Length), ct).ConfigureAwait(false);
                    await WriteUpstreamAsync(upstream, data, ct).ConfigureAwait(false);
                    if (chunked) await WriteUpstreamAsync(upstream, Http1Writer.Crlf, ct).ConfigureAwait(false);
                }
                else if (part.End && chunked)
                {
                    await WriteUpstreamAsync(upstream, Http1Writer.LastChunk(part.Trailers), ct).ConfigureAwait(false);
                }
            }, ct).ConfigureAwait(false);
            try { await upstream.Stream.FlushAsync(ct).ConfigureAwait(false); }
            catch (Exception e) when (e is IOException or SocketException) { throw new UpstreamException("upstream connection failed while sending the request", e); }
            requestDone();
            await Proxy.Addons.RequestCompleteAsync(proxySession).ConfigureAwait(false);

            Http1ResponseHead? final = null;
            while (true)
            {
                Http1Event? ev;
                try { ev = await upstream.Reader.NextAsync(ct).ConfigureAwait(false); }
                catch (TimeoutException e) { throw new TimeoutException("upstream did not answer in time: " + e.Message); }
                catch (Exception e) when (e is IOException or SocketException) { throw new UpstreamException("upstream connection failed while reading the response", e); }
                switch (ev)
                {
                    case Http1ResponseHead { StatusCode: 101 }:
                        throw new UpstreamException("origin switched protocols on an HTTP/2 stream");
                    case Http1ResponseHead { IsInterim: true } interim:
                        _responseStarted = true;
                        await session.SubmitAsync(h => h.SubmitResponse(StreamId, Http2Translation.ToHttp2ResponseFields(interim.StatusCode, interim.Headers), endStream: false), ct).ConfigureAwait(false);
                        break;
                    case Http1ResponseHead head:
                        final = head;
                        Http1ResponseRelayLayer.RecordHead(flow, head, responseCapture);
                        await Proxy.Addons.ResponseHeadersAsync(proxySession).ConfigureAwait(false);
                        _responseStarted = true;
                        var bodiless = head.Framing == Http1BodyFraming.None;
                        await session.SubmitAsync(h => h.SubmitResponse(StreamId, Http2Translation.ToHttp2ResponseFields(head.StatusCode, head.Headers), endStream: bodiless), ct).ConfigureAwait(false);
                        if (bodiless) _responseEnded = true;
                        break;
                    case Http1BodyData data when final is not null:
                        responseCapture.Append(data.Data.Span);
                        await SendToClientAsync(data.Data, end: false, ct).ConfigureAwait(false);
                        break;
                    case Http1Trailers trailers:
                        flow.ResponseTrailers = [.. trailers.Headers];
                        break;
                    case Http1MessageComplete when final is not null:
                        if (!_responseEnded)
                        {
                            if (flow.ResponseTrailers is { Count: > 0 } t) await session.SubmitAsync(h => h.SubmitTrailers(StreamId, Http2Translation.ToHttp2Trailers(t)), ct).ConfigureAwait(false);
                            else await SendToClientAsync(ReadOnlyMemory<byte>.Empty, end: true, ct).ConfigureAwait(false);
                            _responseEnded = true;
                        }
                        Http1ResponseRelayLayer.RecordEnd(flow, final, responseCapture, Proxy.Time);
                        reusable = Http1ResponseRelayLayer.UpstreamCanCarryAnother(final);
                        await Proxy.Addons.ResponseCompleteAsync(proxySession).ConfigureAwait(false);
                        return;
                    default:
                        throw Http1ResponseRelayLayer.Unexpected(ev);
                }
            }
        }
        finally
        {
            await session.Upstreams.ReleaseAsync(upstream, reusable).ConfigureAwait(false);
        }
    }

    private static async Task WriteUpstreamAsync(UpstreamConnection upstream, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        try { await upstream.Stream.WriteAsync(data, ct).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new UpstreamException("upstream connection failed while sending the request", e);
        }
    }

    private async Task ForwardOverHttp2Async(Http2UpstreamSession upstream, ProxySession proxySession, BodyCapture requestCapture, BodyCapture responseCapture, Action requestDone, CancellationToken ct)
    {
        var flow = proxySession.Flow;
        var fields = new List<HeaderField>(request.Fields.Count);
        foreach (var field in request.Fields)
            if (field.Name != "host" && field.Name != ":protocol") fields.Add(field);
        var (id, events) = await upstream.OpenAsync(fields, request.EndStream, ct).ConfigureAwait(false);
        try
        {
            await ReadRequestBodyAsync(flow, requestCapture, async part =>
            {
                if (part.Data is { } data) await upstream.SendDataAsync(id, data, endStream: false, ct).ConfigureAwait(false);
                else if (part.End && !request.EndStream)
                {
                    if (part.Trailers is { Count: > 0 } trailers) await upstream.SubmitAsync(h => h.SubmitTrailers(id, trailers), ct).ConfigureAwait(false);
                    else await upstream.SendDataAsync(id, ReadOnlyMemory<byte>.Empty, endStream: true, ct).ConfigureAwait(false);
                }
            }, ct).ConfigureAwait(false);
            requestDone();
            await Proxy.Addons.RequestCompleteAsync(proxySession).ConfigureAwait(false);

            var responseTimeout = Proxy.Options.UpstreamResponseTimeout;
            while (true)
            {
                if (!events.TryRead(out var ev))
                {
                    // Nothing queued: wait, at most the response timeout (a timer only then: the head and the body
                    // often arrive in one read of the origin, and the second event needs no wait at all).
                    using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    waiting.CancelAfter(responseTimeout);
                    try
                    {
                        if (!await events.WaitToReadAsync(waiting.Token).ConfigureAwait(false))
                            throw new UpstreamException("upstream closed the stream before the response was complete");
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        throw new TimeoutException($"upstream did not answer in time: no data for {responseTimeout.TotalSeconds:0.#} s");
                    }
                    continue;
                }
                switch (ev)
                {
                    case Http2ResponseReceived { IsInformational: true } interim:
                        _responseStarted = true;
                        await session.SubmitAsync(h => h.SubmitResponse(StreamId, interim.Fields, endStream: false), ct).ConfigureAwait(false);
                        break;
                    case Http2ResponseReceived response:
                        await RelayHttp2ResponseHeadAsync(proxySession, response, ct).ConfigureAwait(false);
                        if (response.EndStream)
                        {
                            _responseEnded = true;
                            await CompleteResponseAsync(proxySession, responseCapture).ConfigureAwait(false);
                            return;
                        }
                        break;
                    case Http2DataReceived data:
                        responseCapture.Append(data.Data.Span);
                        await SendToClientAsync(data.Data, data.EndStream, ct).ConfigureAwait(false);
                        await upstream.SubmitAsync(h => h.ConsumeData(id, data.Data.Length), ct).ConfigureAwait(false);
                        if (data.EndStream)
                        {
                            await CompleteResponseAsync(proxySession, responseCapture).ConfigureAwait(false);
                            return;
                        }
                        break;
                    case Http2TrailersReceived trailers:
                        flow.ResponseTrailers = [.. trailers.Fields];
                        await session.SubmitAsync(h => h.SubmitTrailers(StreamId, trailers.Fields), ct).ConfigureAwait(false);
                        _responseEnded = true;
                        await CompleteResponseAsync(proxySession, responseCapture).ConfigureAwait(false);
                        return;
                    case Http2StreamReset reset:
                        throw new UpstreamException($"origin reset the stream ({reset.ErrorCode})");
                }
            }
        }
        catch
        {
            await upstream.SubmitAsync(h => h.ResetStream(id, Http2ErrorCode.Cancel), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An h2 origin's final response head: on the flow, through the response-headers addons, on to the client.</summary>
    private async Task RelayHttp2ResponseHeadAsync(ProxySession proxySession, Http2ResponseReceived response, CancellationToken ct)
    {
        var flow = proxySession.Flow;
        flow.StatusCode = response.StatusCode;
        flow.Reason = "";
        flow.ResponseHeaders = [.. response.Headers];
        await Proxy.Addons.ResponseHeadersAsync(proxySession).ConfigureAwait(false);
        _responseStarted = true;
        await session.SubmitAsync(h => h.SubmitResponse(StreamId, response.Fields, response.EndStream), ct).ConfigureAwait(false);
    }

    private async Task CompleteResponseAsync(ProxySession proxySession, BodyCapture capture)
    {
        var flow = proxySession.Flow;
        flow.Timings.ResponseDone = Proxy.Time.GetUtcNow();
        if (capture.Size > 0 || Http2HeaderFields.Get(flow.ResponseHeaders, "content-length") is not null)
            flow.ResponseBody = capture.ToFlowBody(Http1Headers.Get(flow.ResponseHeaders, "content-encoding"), Http1Headers.Get(flow.ResponseHeaders, "content-type"));
        await Proxy.Addons.ResponseCompleteAsync(proxySession).ConfigureAwait(false);
    }
}
