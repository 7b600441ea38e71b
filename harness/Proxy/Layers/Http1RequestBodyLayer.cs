using System.Diagnostics.CodeAnalysis;
using Harness.Flows;
using Harness.Proxy.Capture;
using Harness.Proxy.Http1;

namespace Harness.Proxy.Layers;

/// <summary>
/// The request body of one HTTP/1.1 exchange, without I/O: the client's parser events in, commands for the origin out
/// (none when the answer is local). It keeps the first bytes for the flow and the client's framing: a chunked body stays
/// chunked, with its trailers. A malformed or cut body throws <see cref="ClientAbortException"/>.
/// </summary>
internal sealed class Http1RequestBodyLayer
{
    private Flow _flow;
    private BodyCapture _capture;
    private bool _toUpstream;
    private bool _chunked;

    public Http1RequestBodyLayer(Http1RequestHead head, Flow flow, BodyCapture capture, bool toUpstream) => Start(head, flow, capture, toUpstream);

    public bool Complete { get; private set; }

    /// <summary>The next exchange's body on the same connection: the layer is reused, not allocated per request.</summary>
    [MemberNotNull(nameof(_flow), nameof(_capture))]
    public void Start(Http1RequestHead head, Flow flow, BodyCapture capture, bool toUpstream)
    {
        _flow = flow;
        _capture = capture;
        _toUpstream = toUpstream;
        _chunked = head.Framing == Http1BodyFraming.Chunked;
        Complete = false;
    }

    public void Handle(Http1Event? ev, List<ProxyCommand> commands)
    {
        switch (ev)
        {
            case Http1BodyData data:
                _capture.Append(data.Data.Span);
                if (!_toUpstream) return;
                if (_chunked) commands.Add(ProxyCommand.ToUpstream(Http1Writer.ChunkHeader(data.Data.Length)));
                commands.Add(ProxyCommand.ToUpstream(data.Data));
                if (_chunked) commands.Add(ProxyCommand.ToUpstream(Http1Writer.Crlf));
                return;
            case Http1Trailers trailers:
                _flow.RequestTrailers = [.. trailers.Headers];
                return;
            case Http1MessageComplete:
                if (_toUpstream && _chunked) commands.Add(ProxyCommand.ToUpstream(Http1Writer.LastChunk(_flow.RequestTrailers)));
                Complete = true;
                return;
            case Http1ParseError error:
                _flow.Tags["clientProtocolError"] = error.Message;
                throw new ClientAbortException("bad request body: " + error.Message);
            case null:
                throw new ClientAbortException("client closed the connection before the request body was complete");
            default:
                throw new ClientAbortException("unexpected " + ev.GetType().Name + " in request body");
        }
    }
}
