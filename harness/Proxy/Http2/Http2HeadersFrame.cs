namespace Harness.Proxy.Http2;

/// <summary>HEADERS (6.2): the first fragment of a header block.</summary>
public sealed record Http2HeadersFrame(int StreamId, ReadOnlyMemory<byte> Fragment, bool EndStream, bool EndHeaders, Http2PriorityInfo? Priority) : Http2Frame(StreamId);
