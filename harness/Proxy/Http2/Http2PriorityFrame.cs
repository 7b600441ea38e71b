namespace Harness.Proxy.Http2;

/// <summary>PRIORITY (6.3), deprecated by RFC 9113 and ignored here.</summary>
public sealed record Http2PriorityFrame(int StreamId, Http2PriorityInfo Priority) : Http2Frame(StreamId);
