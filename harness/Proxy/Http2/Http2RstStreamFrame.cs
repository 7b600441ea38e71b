namespace Harness.Proxy.Http2;

/// <summary>RST_STREAM (6.4).</summary>
public sealed record Http2RstStreamFrame(int StreamId, Http2ErrorCode ErrorCode) : Http2Frame(StreamId);
