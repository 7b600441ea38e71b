using System.Buffers.Binary;

namespace Harness.Proxy.Http2;

/// <summary>
/// Splits received bytes into frames (RFC 9113 4.1, 6) without I/O: <see cref="Append"/> what arrived, then
/// <see cref="TryRead"/> until it returns false. Checks each frame's own layout (length, stream 0 or not, padding);
/// what depends on connection state is the connection's job.
/// </summary>
public sealed class Http2FrameReader
{
    public const int HeaderLength = 9;

    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <param name="maxFrameSize">SETTINGS_MAX_FRAME_SIZE we advertised: a longer frame is a FRAME_SIZE_ERROR.</param>
    public Http2FrameReader(int maxFrameSize = Http2Settings.DefaultMaxFrameSize) => MaxFrameSize = maxFrameSize;

    public int MaxFrameSize { get; set; }

    /// <summary>Bytes received but not yet returned as frames.</summary>
    public int Buffered => _end - _start;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length > _buffer.Length - _end)
        {
            var needed = Buffered + data.Length;
            if (needed <= _buffer.Length)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, Buffered);
            }
            else
            {
                var bigger = new byte[Math.Max(needed, _buffer.Length * 2)];
                Buffer.BlockCopy(_buffer, _start, bigger, 0, Buffered);
                _buffer = bigger;
            }
            _end = Buffered;
            _start = 0;
        }
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Takes the next complete frame, if one has arrived.</summary>
    /// <exception cref="Http2ProtocolException">A malformed frame. After a connection error the reader must not be used again;
    /// after a stream error the frame has been consumed and reading may go on.</exception>
    public bool TryRead(out Http2Frame frame)
    {
        frame = null!;
        if (Buffered < HeaderLength) return false;
        var header = _buffer.AsSpan(_start, HeaderLength);
        var length = (header[0] << 16) | (header[1] << 8) | header[2];
        if (length > MaxFrameSize) throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, $"frame of {length} octets exceeds SETTINGS_MAX_FRAME_SIZE {MaxFrameSize}");
        if (Buffered < HeaderLength + length) return false;
        var type = header[3];
        var flags = header[4];
        var streamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(header[5..]) & 0x7fffffff);
        var payload = _buffer.AsSpan(_start + HeaderLength, length);
        _start += HeaderLength + length;
        if (_start == _end) _start = _end = 0;
        frame = Decode(type, flags, streamId, payload);
        return true;
    }

    /// <summary>Decodes one frame's payload (the 9-octet header already split off).</summary>
    public static Http2Frame Decode(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        switch ((Http2FrameType)type)
        {
            case Http2FrameType.Data:
            {
                RequireStream(streamId, "DATA");
                var data = Unpad(flags, payload, "DATA");
                return new Http2DataFrame(streamId, data.ToArray(), (flags & Http2FrameFlags.EndStream) != 0, payload.Length);
            }
            case Http2FrameType.Headers:
            {
                RequireStream(streamId, "HEADERS");
                var body = Unpad(flags, payload, "HEADERS");
                Http2PriorityInfo? priority = null;
                if ((flags & Http2FrameFlags.Priority) != 0)
                {
                    if (body.Length < 5) throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, "HEADERS too short for its priority fields");
                    priority = ReadPriority(body);
                    if (priority.Value.StreamDependency == streamId) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"stream {streamId} depends on itself", streamId);
                    body = body[5..];
                }
                return new Http2HeadersFrame(streamId, body.ToArray(), (flags & Http2FrameFlags.EndStream) != 0, (flags & Http2FrameFlags.EndHeaders) != 0, priority);
            }
            case Http2FrameType.Priority:
                RequireStream(streamId, "PRIORITY");
                if (payload.Length != 5) throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, $"PRIORITY of {payload.Length} octets", streamId);
                var priorityFields = ReadPriority(payload);
                // RFC 9113 5.3.1: a stream that depends on itself is a stream error (priorities are otherwise ignored).
                if (priorityFields.StreamDependency == streamId) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"stream {streamId} depends on itself", streamId);
                return new Http2PriorityFrame(streamId, priorityFields);
            case Http2FrameType.RstStream:
                RequireStream(streamId, "RST_STREAM");
                if (payload.Length != 4) throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, $"RST_STREAM of {payload.Length} octets");
                return new Http2RstStreamFrame(streamId, (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload));
            case Http2FrameType.Settings:
            {
                RequireConnection(streamId, "SETTINGS");
                var ack = (flags & Http2FrameFlags.Ack) != 0;
                if (ack && payload.Length != 0) throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, "SETTINGS ACK with a payload");
                if (payload.Length % 6 != 0) throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, $"SETTINGS of {payload.Length} octets");
                var settings = new Http2Setting[payload.Length / 6];
                for (var i = 0; i < settings.Length; i++)
                {
                    var entry = payload.Slice(i * 6, 6);
                    settings[i] = new Http2Setting((Http2SettingId)BinaryPrimitives.ReadUInt16BigEndian(entry), BinaryPrimitives.ReadUInt32BigEndian(entry[2..]));
                }
                return new Http2SettingsFrame(ack, settings);
            }
            case Http2FrameType.PushPromise:
            {
                RequireStream(streamId, "PUSH_PROMISE");
                var body = Unpad(flags, payload, "PUSH_PROMISE");
                if (body.Length < 4) throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, "PUSH_PROMISE without a promised stream");
                var promised = (int)(BinaryPrimitives.ReadUInt32BigEndian(body) & 0x7fffffff);
                return new Http2PushPromiseFrame(streamId, promised, body[4..].ToArray(), (flags & Http2FrameFlags.EndHeaders) != 0);
            }
            case Http2FrameType.Ping:
                RequireConnection(streamId, "PING");
                if (payload.Length != 8) throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, $"PING of {payload.Length} octets");
                return new Http2PingFrame((flags & Http2FrameFlags.Ack) != 0, BinaryPrimitives.ReadUInt64BigEndian(payload));
            case Http2FrameType.GoAway:
                RequireConnection(streamId, "GOAWAY");
                if (payload.Length < 8) throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, $"GOAWAY of {payload.Length} octets");
                return new Http2GoAwayFrame((int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fffffff),
                    (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload[4..]), payload[8..].ToArray());
            case Http2FrameType.WindowUpdate:
            {
                if (payload.Length != 4) throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, $"WINDOW_UPDATE of {payload.Length} octets");
                var increment = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fffffff);
                if (increment == 0) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "WINDOW_UPDATE with increment 0", streamId);
                return new Http2WindowUpdateFrame(streamId, increment);
            }
            case Http2FrameType.Continuation:
                RequireStream(streamId, "CONTINUATION");
                return new Http2ContinuationFrame(streamId, payload.ToArray(), (flags & Http2FrameFlags.EndHeaders) != 0);
            default:
                return new Http2UnknownFrame(streamId, type, flags, payload.ToArray());
        }
    }

    private static ReadOnlySpan<byte> Unpad(byte flags, ReadOnlySpan<byte> payload, string frame)
    {
        if ((flags & Http2FrameFlags.Padded) == 0) return payload;
        if (payload.Length < 1) throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, $"padded {frame} without a pad length");
        var padding = payload[0];
        if (padding >= payload.Length) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"{frame} padding {padding} not shorter than the payload");
        return payload[1..^padding];
    }

    private static Http2PriorityInfo ReadPriority(ReadOnlySpan<byte> fields)
    {
        var dependency = BinaryPrimitives.ReadUInt32BigEndian(fields);
        return new Http2PriorityInfo((int)(dependency & 0x7fffffff), (dependency & 0x80000000) != 0, fields[4] + 1);
    }

    private static void RequireStream(int streamId, string frame)
    {
        if (streamId == 0) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"{frame} on stream 0");
    }

    private static void RequireConnection(int streamId, string frame)
    {
        if (streamId != 0) throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"{frame} on stream {streamId}");
    }
}
