using Harness.Flows;

namespace Harness.Proxy.WebSockets;

/// <summary>
/// The proxy's own WebSocket endpoint (sinkhole, canary) without I/O, for HTTP/1.1 upgrades and HTTP/2 extended CONNECT
/// alike: the client's bytes in; complete messages recorded, and the frames to send back (a pong per ping, a close
/// answering the client's close) out. Once <see cref="Closed"/>, the pump sends the replies and ends the session.
/// </summary>
internal sealed class LocalWebSocketLayer(TimeProvider time)
{
    private readonly WebSocketMessageAssembler _assembler = new(fromClient: true, time: time);

    public List<WebSocketMessage> Messages { get; } = [];

    public bool Closed => _assembler.Closed;

    /// <summary>Feed client bytes; appends the frames to answer with to <paramref name="replies"/>. Returns the index of the first new message.</summary>
    public int Feed(ReadOnlySpan<byte> data, List<byte[]> replies)
    {
        var before = Messages.Count;
        _assembler.Feed(data, Messages);
        foreach (var ping in _assembler.Pings) replies.Add(ServerFrame(0xA, ping));
        _assembler.Pings.Clear();
        if (_assembler.Closed) replies.Add(ServerFrame(0x8, [0x03, 0xE8]));
        return before;
    }

    /// <summary>An unmasked server frame with a control-sized payload (pong, close 1000).</summary>
    public static byte[] ServerFrame(int opcode, byte[] payload)
    {
        if (payload.Length > 125) payload = payload[..125];
        return [(byte)(0x80 | opcode), (byte)payload.Length, .. payload];
    }
}
