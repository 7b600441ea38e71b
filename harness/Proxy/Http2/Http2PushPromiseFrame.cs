namespace Harness.Proxy.Http2;

/// <summary>PUSH_PROMISE (6.6). We never enable push, so receiving one is a protocol error.</summary>
public sealed record Http2PushPromiseFrame(int StreamId, int PromisedStreamId, ReadOnlyMemory<byte> Fragment, bool EndHeaders) : Http2Frame(StreamId);
