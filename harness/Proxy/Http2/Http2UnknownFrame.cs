namespace Harness.Proxy.Http2;

/// <summary>A frame of a type this implementation does not know: ignored (RFC 9113 4.1, 5.5).</summary>
public sealed record Http2UnknownFrame(int StreamId, byte Type, byte Flags, ReadOnlyMemory<byte> Payload) : Http2Frame(StreamId);
