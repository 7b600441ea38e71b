namespace Harness.Proxy.Http2;

/// <summary>DATA (6.1). <see cref="FlowControlledLength"/> is the whole payload, padding included, as flow control counts it.</summary>
public sealed record Http2DataFrame(int StreamId, ReadOnlyMemory<byte> Data, bool EndStream, int FlowControlledLength) : Http2Frame(StreamId);
