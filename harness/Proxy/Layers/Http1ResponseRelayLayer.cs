using System.Diagnostics.CodeAnalysis;
using Harness.Flows;
using Harness.Proxy.Capture;
using Harness.Proxy.Http1;

namespace Harness.Proxy.Layers;

/// <summary>
/// The upstream HTTP/1.1 response of one exchange, without I/O: the origin's parser events in, commands for the client
/// out. It records the response on the flow, drops the origin's 100 Continue when we answered it ourselves, keeps the
/// origin's framing (chunked stays chunked, trailers kept), lets a sized head share its first body bytes (one TLS
/// record), and says at the end whether either connection can be reused.
/// </summary>
internal sealed class Http1ResponseRelayLayer
{
    /// <summary>TLS plaintext records hold 16 KiB: up to that, head and first body bytes share one record.</summary>
    public const int CoalesceLimit = 16 * 1024;

    private readonly TimeProvider _time;
    private readonly byte[]? _scratch;
    private Http1RequestHead _request;
    private Flow _flow;
    private BodyCapture _capture;
    private Http1ResponseHead? _final;
    private byte[]? _pendingHead;

    /// <param name="scratch">At least <see cref="CoalesceLimit"/> bytes the layer may reuse for a head with its first body
    /// bytes (the connection's own: its commands run before the next event).</param>
    public Http1ResponseRelayLayer(Http1RequestHead request, Flow flow, BodyCapture capture, TimeProvider time, byte[]? scratch = null)
    {
        _time = time;
        _scratch = scratch;
        Start(request, flow, capture);
    }

    /// <summary>The next exchange's response on the same connection: the layer is reused, not allocated per request.</summary>
    [MemberNotNull(nameof(_request), nameof(_flow), nameof(_capture))]
    public void Start(Http1RequestHead request, Flow flow, BodyCapture capture)
    {
        _request = request;
        _flow = flow;
        _capture = capture;
        _final = null;
        _pendingHead = null;
        Started = false;
        Outcome = null;
    }

    /// <summary>Set once the first byte of a response (interim or final) was handed to the client.</summary>
    public bool Started { get; private set; }

    /// <summary>Set when the response is complete.</summary>
    public Http1ResponseOutcome? Outcome { get; private set; }

    /// <summary>One event from the origin's parser. A malformed or cut response throws <see cref="UpstreamException"/>.</summary>
    public void Handle(Http1Event? ev, List<ProxyCommand> commands)
    {
        switch (ev)
        {
            case Http1ResponseHead { IsInterim: true } interim:
                // We answered 100 Continue ourselves (and stripped Expect upstream).
                if (interim.StatusCode == 100 && _request.ExpectContinue) return;
                Started = true;
                commands.Add(ProxyCommand.ToClient(Http1Writer.ResponseHead(interim.Version, interim.StatusCode, interim.Reason, interim.Headers)));
                commands.Add(ProxyCommand.FlushClient);
                return;
            case Http1ResponseHead head:
                _final = head;
                RecordHead(_flow, head, _capture);
                commands.Add(ProxyCommand.ResponseHeaders);
                Started = true;
                var headBytes = Http1Writer.ResponseHead(head.Version, head.StatusCode, head.Reason, head.Headers);
                // A sized body's head goes out with its first bytes: one TLS record and one send instead of two.
                if (head.Framing == Http1BodyFraming.ContentLength && head.ContentLength > 0) _pendingHead = headBytes;
                else commands.Add(ProxyCommand.ToClient(headBytes));
                if (head.Framing == Http1BodyFraming.None) commands.Add(ProxyCommand.FlushClient);
                return;
            case Http1BodyData data when _final is not null:
                _capture.Append(data.Data.Span);
                if (_pendingHead is { } pending)
                {
                    _pendingHead = null;
                    if (pending.Length + data.Data.Length <= CoalesceLimit)
                    {
                        var both = _scratch ?? new byte[CoalesceLimit];
                        pending.CopyTo(both, 0);
                        data.Data.Span.CopyTo(both.AsSpan(pending.Length));
                        commands.Add(ProxyCommand.ToClient(both.AsMemory(0, pending.Length + data.Data.Length)));
                        return;
                    }
                    commands.Add(ProxyCommand.ToClient(pending));
                }
                if (_final.Framing == Http1BodyFraming.Chunked) commands.Add(ProxyCommand.ToClient(Http1Writer.ChunkHeader(data.Data.Length)));
                commands.Add(ProxyCommand.ToClient(data.Data));
                if (_final.Framing == Http1BodyFraming.Chunked) commands.Add(ProxyCommand.ToClient(Http1Writer.Crlf));
                return;
            case Http1Trailers trailers:
                _flow.ResponseTrailers = [.. trailers.Headers];
                return;
            case Http1MessageComplete when _final is { } final:
                if (_pendingHead is not null) commands.Add(ProxyCommand.ToClient(_pendingHead));
                _pendingHead = null;
                if (final.Framing == Http1BodyFraming.Chunked) commands.Add(ProxyCommand.ToClient(Http1Writer.LastChunk(_flow.ResponseTrailers)));
                // A bodiless head was flushed already; anything else may still sit in the coalescing buffer.
                if (final.Framing != Http1BodyFraming.None) commands.Add(ProxyCommand.FlushClient);
                RecordEnd(_flow, final, _capture, _time);
                var switched = final.StatusCode == 101;
                Outcome = new Http1ResponseOutcome(final.Framing != Http1BodyFraming.UntilClose, UpstreamCanCarryAnother(final) && !switched, switched);
                return;
            default:
                throw Unexpected(ev);
        }
    }

    /// <summary>What an event that cannot continue a response means: the origin failed (bad bytes, closed, out of order).</summary>
    public static UpstreamException Unexpected(Http1Event? ev) => ev switch
    {
        Http1ParseError error => new UpstreamException("bad response from upstream: " + error.Message),
        null => new UpstreamException("upstream closed the connection before the response was complete"),
        _ => new UpstreamException("unexpected " + ev.GetType().Name + " from upstream"),
    };

    /// <summary>A final response head on the flow; a sized body's capture reserved at once.</summary>
    public static void RecordHead(Flow flow, Http1ResponseHead head, BodyCapture capture)
    {
        flow.StatusCode = head.StatusCode;
        flow.Reason = head.Reason;
        flow.ResponseHeaders = [.. head.Headers];
        if (head.Framing == Http1BodyFraming.ContentLength && head.ContentLength is { } announced) capture.ExpectSize(announced);
    }

    /// <summary>The response is complete: its end time and body on the flow.</summary>
    public static void RecordEnd(Flow flow, Http1ResponseHead final, BodyCapture capture, TimeProvider time)
    {
        flow.Timings.ResponseDone = time.GetUtcNow();
        if (final.Framing != Http1BodyFraming.None || capture.Size > 0)
            flow.ResponseBody = capture.ToFlowBody(Http1Headers.Get(final.Headers, "content-encoding"), Http1Headers.Get(final.Headers, "content-type"));
    }

    /// <summary>Whether the origin's connection may carry another request after this response.</summary>
    public static bool UpstreamCanCarryAnother(Http1ResponseHead final) =>
        final.Framing != Http1BodyFraming.UntilClose && !Http1Headers.HasToken(final.Headers, "connection", "close") && final.Version != "HTTP/1.0";
}
