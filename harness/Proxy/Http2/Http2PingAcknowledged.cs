namespace Harness.Proxy.Http2;

/// <summary>The peer answered a PING we sent with <see cref="Http2Connection.Ping"/>.</summary>
public sealed record Http2PingAcknowledged(ulong Payload) : Http2Event(0);
