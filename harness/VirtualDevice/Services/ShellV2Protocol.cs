using System.Buffers.Binary;

namespace Harness.VirtualDevice.Services;

/// <summary>Shell protocol v2 packets: [id u8][length u32 LE][payload]. Ids: 0 stdin, 1 stdout, 2 stderr, 3 exit, 4 close-stdin, 5 window size.</summary>
public static class ShellV2Protocol
{
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Exit = 3;
    public const byte CloseStdin = 4;
    public const byte WindowSizeChange = 5;
    public const int HeaderSize = 5;
    /// <summary>adbd's buffer is MAX_PAYLOAD including the header.</summary>
    public const int MaxPacketPayload = 1024 * 1024 - HeaderSize;

    public static byte[] Encode(byte id, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[HeaderSize + payload.Length];
        packet[0] = id;
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(packet.AsSpan(HeaderSize));
        return packet;
    }
}
