using System.Buffers;
using System.Buffers.Binary;

namespace Harness.Proxy.Http2;

/// <summary>Serialises frames (RFC 9113 4.1, 6) into a buffer; the caller respects the peer's frame size and windows.</summary>
public static class Http2FrameWriter
{
    public static void WriteHeader(IBufferWriter<byte> output, int length, Http2FrameType type, byte flags, int streamId)
    {
        var header = output.GetSpan(Http2FrameReader.HeaderLength);
        header[0] = (byte)(length >> 16);
        header[1] = (byte)(length >> 8);
        header[2] = (byte)length;
        header[3] = (byte)type;
        header[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(header[5..], (uint)streamId & 0x7fffffff);
        output.Advance(Http2FrameReader.HeaderLength);
    }

    /// <param name="padLength">Octets of padding (0–255 with a pad length field; null for an unpadded frame).</param>
    public static void WriteData(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> data, bool endStream, int? padLength = null)
    {
        var flags = endStream ? Http2FrameFlags.EndStream : (byte)0;
        if (padLength is int pad)
        {
            WriteHeader(output, 1 + data.Length + pad, Http2FrameType.Data, (byte)(flags | Http2FrameFlags.Padded), streamId);
            output.Write([(byte)pad]);
            output.Write(data);
            output.GetSpan(pad)[..pad].Clear();
            output.Advance(pad);
            return;
        }
        WriteHeader(output, data.Length, Http2FrameType.Data, flags, streamId);
        output.Write(data);
    }

    /// <summary>A header block as HEADERS plus as many CONTINUATION frames as <paramref name="maxFrameSize"/> requires.</summary>
    public static void WriteHeaders(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> block, bool endStream, int maxFrameSize)
    {
        var first = Math.Min(block.Length, maxFrameSize);
        var flags = (byte)((endStream ? Http2FrameFlags.EndStream : 0) | (first == block.Length ? Http2FrameFlags.EndHeaders : 0));
        WriteHeader(output, first, Http2FrameType.Headers, flags, streamId);
        output.Write(block[..first]);
        WriteContinuations(output, streamId, block[first..], maxFrameSize);
    }

    public static void WritePushPromise(IBufferWriter<byte> output, int streamId, int promisedStreamId, ReadOnlySpan<byte> block, int maxFrameSize)
    {
        var first = Math.Min(block.Length, maxFrameSize - 4);
        WriteHeader(output, 4 + first, Http2FrameType.PushPromise, first == block.Length ? Http2FrameFlags.EndHeaders : (byte)0, streamId);
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), (uint)promisedStreamId);
        output.Advance(4);
        output.Write(block[..first]);
        WriteContinuations(output, streamId, block[first..], maxFrameSize);
    }

    public static void WriteContinuation(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        WriteHeader(output, fragment.Length, Http2FrameType.Continuation, endHeaders ? Http2FrameFlags.EndHeaders : (byte)0, streamId);
        output.Write(fragment);
    }

    public static void WritePriority(IBufferWriter<byte> output, int streamId, Http2PriorityInfo priority)
    {
        WriteHeader(output, 5, Http2FrameType.Priority, 0, streamId);
        var span = output.GetSpan(5);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)priority.StreamDependency | (priority.Exclusive ? 0x80000000u : 0));
        span[4] = (byte)(priority.Weight - 1);
        output.Advance(5);
    }

    public static void WriteRstStream(IBufferWriter<byte> output, int streamId, Http2ErrorCode errorCode)
    {
        WriteHeader(output, 4, Http2FrameType.RstStream, 0, streamId);
        WriteUInt32(output, (uint)errorCode);
    }

    public static void WriteSettings(IBufferWriter<byte> output, IReadOnlyList<Http2Setting> settings)
    {
        WriteHeader(output, settings.Count * 6, Http2FrameType.Settings, 0, 0);
        foreach (var s in settings)
        {
            var span = output.GetSpan(6);
            BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)s.Id);
            BinaryPrimitives.WriteUInt32BigEndian(span[2..], s.Value);
            output.Advance(6);
        }
    }

    public static void WriteSettingsAck(IBufferWriter<byte> output) => WriteHeader(output, 0, Http2FrameType.Settings, Http2FrameFlags.Ack, 0);

    public static void WritePing(IBufferWriter<byte> output, ulong payload, bool ack)
    {
        WriteHeader(output, 8, Http2FrameType.Ping, ack ? Http2FrameFlags.Ack : (byte)0, 0);
        BinaryPrimitives.WriteUInt64BigEndian(output.GetSpan(8), payload);
        output.Advance(8);
    }

    public static void WriteGoAway(IBufferWriter<byte> output, int lastStreamId, Http2ErrorCode errorCode, ReadOnlySpan<byte> debugData)
    {
        WriteHeader(output, 8 + debugData.Length, Http2FrameType.GoAway, 0, 0);
        WriteUInt32(output, (uint)lastStreamId);
        WriteUInt32(output, (uint)errorCode);
        output.Write(debugData);
    }

    public static void WriteWindowUpdate(IBufferWriter<byte> output, int streamId, int increment)
    {
        WriteHeader(output, 4, Http2FrameType.WindowUpdate, 0, streamId);
        WriteUInt32(output, (uint)increment);
    }

    private static void WriteContinuations(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> rest, int maxFrameSize)
    {
        while (rest.Length > 0)
        {
            var size = Math.Min(rest.Length, maxFrameSize);
            WriteContinuation(output, streamId, rest[..size], size == rest.Length);
            rest = rest[size..];
        }
    }

    private static void WriteUInt32(IBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }
}
