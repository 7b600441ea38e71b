namespace Harness.Proxy.Http2;

/// <summary>GOAWAY (6.8).</summary>
public sealed record Http2GoAwayFrame(int LastStreamId, Http2ErrorCode ErrorCode, ReadOnlyMemory<byte> DebugData) : Http2Frame(0);
