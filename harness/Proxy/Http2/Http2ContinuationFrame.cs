namespace Harness.Proxy.Http2;

/// <summary>CONTINUATION (6.10): a further fragment of a header block.</summary>
public sealed record Http2ContinuationFrame(int StreamId, ReadOnlyMemory<byte> Fragment, bool EndHeaders) : Http2Frame(StreamId);
