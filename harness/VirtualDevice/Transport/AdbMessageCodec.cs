using System.Buffers.Binary;

namespace Harness.VirtualDevice.Transport;

/// <summary>Encodes the 24-byte header (command, arg0, arg1, length, byte-sum checksum, magic) plus payload.</summary>
public static class AdbMessageCodec
{
    public const int HeaderSize = 24;

    public static byte[] Encode(AdbMessage message)
    {
        var bytes = new byte[HeaderSize + message.Payload.Length];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span[0..], message.Command);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], message.Arg0);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], message.Arg1);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)message.Payload.Length);
        // adb 29 does not verify the checksum once the version skips it, but older hosts do: always send the real byte sum.
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], Checksum(message.Payload.Span));
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], message.Command ^ 0xFFFFFFFF);
        message.Payload.Span.CopyTo(span[HeaderSize..]);
        return bytes;
    }

    public static uint Checksum(ReadOnlySpan<byte> payload)
    {
        uint sum = 0;
        foreach (var b in payload) sum += b;
        return sum;
    }
}
