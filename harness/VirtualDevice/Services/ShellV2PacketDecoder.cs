using System.Buffers.Binary;

namespace Harness.VirtualDevice.Services;

/// <summary>Sans-io decoder for shell v2 packets, which may span WRTE boundaries.</summary>
public sealed class ShellV2PacketDecoder
{
    private readonly List<byte> _buffer = new();

    public IReadOnlyList<ShellV2Packet> Feed(ReadOnlySpan<byte> bytes)
    {
        _buffer.AddRange(bytes);
        var packets = new List<ShellV2Packet>();
        var offset = 0;
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_buffer);
        while (span.Length - offset >= ShellV2Protocol.HeaderSize)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 1)..]);
            if (span.Length - offset - ShellV2Protocol.HeaderSize < length) break;
            packets.Add(new ShellV2Packet(span[offset], span.Slice(offset + ShellV2Protocol.HeaderSize, (int)length).ToArray()));
            offset += ShellV2Protocol.HeaderSize + (int)length;
        }
        _buffer.RemoveRange(0, offset);
        return packets;
    }
}
