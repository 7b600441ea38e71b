namespace Harness.Proxy.Http2;

/// <summary>A stream ended abnormally; nothing more will be reported for it.</summary>
public sealed record Http2StreamReset(int StreamId, Http2ErrorCode ErrorCode, Http2ResetOrigin Origin) : Http2Event(StreamId);
