namespace Harness.Proxy.Http2;

/// <summary>The peer sent GOAWAY: streams up to <see cref="LastStreamId"/> go on, no new stream may be opened.</summary>
public sealed record Http2GoAwayReceived(int LastStreamId, Http2ErrorCode ErrorCode, string DebugData) : Http2Event(0);
