using Harness.Flows;
using Harness.Proxy.Capture;
using Harness.Proxy.Http1;

namespace Harness.Proxy.Layers;

/// <summary>
/// The request body of one HTTP/1.1 exchange, without I/O: the client's parser events in, commands for the origin out
/// (none when the answer is local). It keeps the first bytes for the flow and the client's framing: a chunked body stays
/// chunked, with its trailers. A malformed or cut body throws <see cref="ClientAbortException"/>.
/// </summary>
internal sealed class Http1RequestBodyLayer(Http1RequestHead head, Flow flow, BodyCapture capture, bool toUpstream)
{
    private readonly bool _chunked = head.Framing == Http1BodyFraming.Chunked;

    public bool Complete { get; private set; }

    public void Handle(Http1Event? ev, List<ProxyCommand> commands)
    {
        switch (ev)
        {
            case Http1BodyData data:
                capture.Append(data.Data.Span);
                if (!toUpstream) return;
                if (_chunked) commands.Add(ProxyCommand.ToUpstream(Http1Writer.ChunkHeader(data.Data.Length)));
                commands.Add(ProxyCommand.ToUpstream(data.Data));
                if (_chunked) commands.Add(ProxyCommand.ToUpstream(Http1Writer.Crlf));
                return;
            case Http1Trailers trailers:
                flow.RequestTrailers = [.. trailers.Headers];
                return;
            case Http1MessageComplete:
                if (toUpstream && _chunked) commands.Add(ProxyCommand.ToUpstream(Http1Writer.LastChunk(flow.RequestTrailers)));
                Complete = true;
                return;
            case Http1ParseError error:
                flow.Tags["clientProtocolError"] = error.Message;
                throw new ClientAbortException("bad request body: " + error.Message);
            case null:
                throw new ClientAbortException("client closed the connection before the request body was complete");
            default:
                throw new ClientAbortException("unexpected " + ev.GetType().Name + " in request body");
        }
    }
}
