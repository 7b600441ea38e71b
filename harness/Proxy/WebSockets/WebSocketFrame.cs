namespace Harness.Proxy.WebSockets;

/// <summary>One decoded frame (payload unmasked, possibly cut at the capture limit; <see cref="PayloadLength"/> is the true length).</summary>
public sealed record WebSocketFrame(bool Fin, int Opcode, byte[] Payload, long PayloadLength);
