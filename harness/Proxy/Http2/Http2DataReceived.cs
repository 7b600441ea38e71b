namespace Harness.Proxy.Http2;

/// <summary>
/// Body bytes of a stream (padding removed). The peer's windows only reopen when the receiver passes these bytes on
/// and calls <see cref="Http2Connection.ConsumeData"/>. <see cref="EndStream"/> ends the peer's side of the stream.
/// </summary>
public sealed record Http2DataReceived(int StreamId, ReadOnlyMemory<byte> Data, bool EndStream) : Http2Event(StreamId);
