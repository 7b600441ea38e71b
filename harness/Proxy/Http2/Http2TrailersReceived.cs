using Harness.Flows;

namespace Harness.Proxy.Http2;

/// <summary>A trailer section: a header block after the body, which always ends the peer's side of the stream.</summary>
public sealed record Http2TrailersReceived(int StreamId, IReadOnlyList<HeaderField> Fields) : Http2Event(StreamId);
