using Harness.Flows;

namespace Harness.Proxy.WebSockets;

/// <summary>Joins data frames and continuations into messages for one direction; control frames are not messages.</summary>
public sealed class WebSocketMessageAssembler(bool fromClient, int maxMessageBytes = 1024 * 1024, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly WebSocketFrameDecoder _decoder = new(maxMessageBytes);
    private readonly List<WebSocketFrame> _frames = [];
    private MemoryStream? _current;
    private bool _currentIsText;

    /// <summary>Set when a close frame was seen.</summary>
    public bool Closed { get; private set; }

    /// <summary>Ping payloads seen, for an endpoint that must answer them.</summary>
    public List<byte[]> Pings { get; } = [];

    public void Feed(ReadOnlySpan<byte> data, List<WebSocketMessage> messages)
    {
        _decoder.Feed(data, _frames);
        foreach (var frame in _frames)
        {
            switch (frame.Opcode)
            {
                case 0x1 or 0x2:
                    _current = new MemoryStream();
                    _currentIsText = frame.Opcode == 0x1;
                    Append(frame, messages);
                    break;
                case 0x0 when _current is not null:
                    Append(frame, messages);
                    break;
                case 0x8:
                    Closed = true;
                    break;
                case 0x9:
                    Pings.Add(frame.Payload);
                    break;
            }
        }
        _frames.Clear();
    }

    private void Append(WebSocketFrame frame, List<WebSocketMessage> messages)
    {
        var room = maxMessageBytes - _current!.Length;
        if (room > 0) _current.Write(frame.Payload, 0, (int)Math.Min(room, frame.Payload.Length));
        if (!frame.Fin) return;
        messages.Add(new WebSocketMessage(_time.GetUtcNow(), fromClient, _currentIsText, _current.ToArray()));
        _current = null;
    }
}
