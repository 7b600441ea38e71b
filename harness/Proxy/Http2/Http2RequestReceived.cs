using Harness.Flows;

namespace Harness.Proxy.Http2;

/// <summary>
/// Server role: a client opened a stream with a request's header block. <see cref="Fields"/> holds the
/// pseudo-header fields first, as received; <see cref="EndStream"/> means the request has no body.
/// </summary>
public sealed record Http2RequestReceived(int StreamId, IReadOnlyList<HeaderField> Fields, bool EndStream) : Http2Event(StreamId)
{
    public string Method => Http2HeaderFields.Get(Fields, ":method") ?? "";
    public string? Scheme => Http2HeaderFields.Get(Fields, ":scheme");
    /// <summary>:authority, or the Host field of a request that carries only that (RFC 9113 8.3.1).</summary>
    public string? Authority => Http2HeaderFields.Get(Fields, ":authority") ?? Http2HeaderFields.Get(Fields, "host");
    public string? Path => Http2HeaderFields.Get(Fields, ":path");
    /// <summary>RFC 8441 extended CONNECT: the protocol to tunnel (e.g. "websocket"), else null.</summary>
    public string? Protocol => Http2HeaderFields.Get(Fields, ":protocol");
    /// <summary>The fields without the pseudo-header fields.</summary>
    public IReadOnlyList<HeaderField> Headers => Http2HeaderFields.Regular(Fields);
}
