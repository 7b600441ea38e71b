namespace Harness.Proxy.WebSockets;

/// <summary>
/// Sans-io RFC 6455 frame decoder for recording: fed the bytes of one direction, emits frames with unmasked payloads.
/// Payload bytes beyond <c>maxPayload</c> are counted, not kept, so a huge frame cannot exhaust memory.
/// </summary>
public sealed class WebSocketFrameDecoder(int maxPayload = 1024 * 1024)
{
    private readonly byte[] _header = new byte[14];
    private int _headerLength;
    private long _remaining = -1;
    private long _payloadLength;
    private bool _fin;
    private int _opcode;
    private byte[]? _mask;
    private long _payloadOffset;
    private MemoryStream? _payload;

    public bool Failed { get; private set; }

    public void Feed(ReadOnlySpan<byte> data, List<WebSocketFrame> frames)
    {
        while (!data.IsEmpty && !Failed)
        {
            if (_remaining < 0)
            {
                _header[_headerLength++] = data[0];
                data = data[1..];
                var needed = HeaderLengthNeeded();
                if (needed < 0) continue;
                if (_headerLength < needed) continue;
                StartPayload();
                if (_remaining == 0) Finish(frames);
                continue;
            }
            var take = (int)Math.Min(_remaining, data.Length);
            var chunk = data[..take];
            var keep = (int)Math.Max(0, Math.Min(take, maxPayload - _payload!.Length));
            if (keep > 0)
            {
                var copy = chunk[..keep].ToArray();
                if (_mask is not null)
                {
                    for (var i = 0; i < copy.Length; i++) copy[i] ^= _mask[(_payloadOffset + i) % 4];
                }
                _payload.Write(copy);
            }
            _payloadOffset += take;
            _remaining -= take;
            data = data[take..];
            if (_remaining == 0) Finish(frames);
        }
    }

    /// <summary>-1 while the header length is still unknown.</summary>
    private int HeaderLengthNeeded()
    {
        if (_headerLength < 2) return -1;
        var masked = (_header[1] & 0x80) != 0;
        var len7 = _header[1] & 0x7f;
        var extra = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        return 2 + extra + (masked ? 4 : 0);
    }

    private void StartPayload()
    {
        _fin = (_header[0] & 0x80) != 0;
        _opcode = _header[0] & 0x0f;
        var masked = (_header[1] & 0x80) != 0;
        var len7 = _header[1] & 0x7f;
        var pos = 2;
        long length = len7;
        if (len7 == 126) { length = (_header[2] << 8) | _header[3]; pos = 4; }
        else if (len7 == 127)
        {
            length = 0;
            for (var i = 0; i < 8; i++) length = (length << 8) | _header[2 + i];
            pos = 10;
            if (length < 0) { Failed = true; return; }
        }
        _mask = masked ? _header[pos..(pos + 4)] : null;
        _payloadLength = length;
        _remaining = length;
        _payloadOffset = 0;
        _payload = new MemoryStream();
    }

    private void Finish(List<WebSocketFrame> frames)
    {
        frames.Add(new WebSocketFrame(_fin, _opcode, _payload!.ToArray(), _payloadLength));
        _headerLength = 0;
        _remaining = -1;
        _payload = null;
    }
}
