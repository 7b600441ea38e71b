using System.Buffers.Binary;
using System.Text;

namespace Harness.VirtualDevice.Android;

/// <summary>
/// What `service call` prints for a reply parcel (Parcel::print through HexDump): "Result: Parcel(" then the bytes as
/// little-endian 32-bit words in hex, four per row with the row's offset when there is more than one row, and each
/// row's bytes as text in quotes ('.' for anything unprintable). No I/O.
/// </summary>
public static class ParcelTextFormatter
{
    /// <summary>A reply holding one String16: no exception (0), the length in chars, UTF-16LE chars, a NUL, padded to 4 bytes.</summary>
    public static byte[] StringReply(string value) => Reply(0, value);

    /// <summary>A reply carrying an exception: its code (EX_SECURITY = -1) and message, as Parcel.writeException does.</summary>
    public static byte[] ExceptionReply(int code, string message) => Reply(code, message);

    private static byte[] Reply(int status, string text)
    {
        var chars = Encoding.Unicode.GetBytes(text + "\0");
        var padded = (chars.Length + 3) / 4 * 4;
        var bytes = new byte[8 + padded];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, status);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), text.Length);
        chars.CopyTo(bytes, 8);
        return bytes;
    }

    public static string Format(byte[] parcel)
    {
        var rows = new List<string>();
        for (var offset = 0; offset < parcel.Length; offset += 16)
        {
            var row = parcel.AsSpan(offset, Math.Min(16, parcel.Length - offset));
            var words = new List<string>();
            for (var w = 0; w + 4 <= row.Length; w += 4) words.Add(BinaryPrimitives.ReadUInt32LittleEndian(row[w..]).ToString("x8"));
            var text = string.Concat(row.ToArray().Select(b => b is >= 0x20 and < 0x7F ? (char)b : '.'));
            rows.Add(parcel.Length <= 16
                ? $"{string.Join(' ', words)} '{text}'"
                : $"  0x{offset:x8}: {string.Join(' ', words).PadRight(35)} '{text.PadRight(16)}'");
        }
        return parcel.Length <= 16 ? $"Result: Parcel({rows[0]})" : $"Result: Parcel(\n{string.Join("\n", rows)})";
    }
}
