using System.Buffers.Binary;

namespace Harness.Adb.Protocol;

/// <summary>Encoder and incremental decoder of shell protocol v2 packets. No I/O.</summary>
public sealed class ShellV2Codec
{
    public const int HeaderLength = 5;

    /// <summary>adbd's buffer is 1 MiB including the header; anything larger is corruption, not output.</summary>
    public const int MaxPayloadLength = 1024 * 1024;

    private byte[] _buffer = new byte[4096];
    private int _count;

    public static byte[] Encode(ShellV2StreamId id, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[HeaderLength + payload.Length];
        packet[0] = (byte)id;
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(1, 4), (uint)payload.Length);
        payload.CopyTo(packet.AsSpan(HeaderLength));
        return packet;
    }

    /// <summary>Appends bytes and returns every packet now complete; partial packets stay buffered.</summary>
    public IReadOnlyList<ShellV2Packet> Feed(ReadOnlySpan<byte> bytes)
    {
        if (_count + bytes.Length > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + bytes.Length));
        bytes.CopyTo(_buffer.AsSpan(_count));
        _count += bytes.Length;

        var packets = new List<ShellV2Packet>();
        var offset = 0;
        while (_count - offset >= HeaderLength)
        {
            var id = _buffer[offset];
            if (id > (byte)ShellV2StreamId.WindowSizeChange)
                throw new AdbProtocolException($"unknown shell v2 packet id {id}");
            var length = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(offset + 1, 4));
            if (length > MaxPayloadLength)
                throw new AdbProtocolException($"shell v2 packet of {length} bytes exceeds the {MaxPayloadLength}-byte limit");
            if (_count - offset - HeaderLength < length) break;
            var payload = _buffer.AsSpan(offset + HeaderLength, (int)length).ToArray();
            if ((ShellV2StreamId)id == ShellV2StreamId.Exit && payload.Length != 1)
                throw new AdbProtocolException($"shell v2 exit packet must carry 1 byte, got {payload.Length}");
            packets.Add(new ShellV2Packet((ShellV2StreamId)id, payload));
            offset += HeaderLength + (int)length;
        }
        Buffer.BlockCopy(_buffer, offset, _buffer, 0, _count - offset);
        _count -= offset;
        return packets;
    }

    /// <summary>Bytes received that do not yet form a packet; non-zero at end of stream means truncation.</summary>
    public int PendingByteCount => _count;
}
