namespace Harness.Proxy.Http2;

/// <summary>PING (6.7) with its 8 opaque octets.</summary>
public sealed record Http2PingFrame(bool Ack, ulong Payload) : Http2Frame(0);
