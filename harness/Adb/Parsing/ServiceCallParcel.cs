using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Adb.Parsing;

/// <summary>
/// Reads the String16 a `service call` reply carries (getDeviceId of iphonesubinfo, say) from the text the tool prints:
/// <c>Result: Parcel(0x00000000: 00000000 0000000f 00350033 … '........3.5.')</c>, on one line or one row per 16 bytes.
/// Every 8-digit hex word outside the quoted text column is a little-endian 32-bit word of the parcel; the offsets
/// ("0x00000010:") are not. Word 0 is the exception code (0 = none), word 1 the length in UTF-16 units (-1 = null),
/// then the characters, two per word. No I/O.
/// </summary>
public static partial class ServiceCallParcel
{
    [GeneratedRegex(@"(?<!0x)\b[0-9a-fA-F]{8}\b(?!:)")]
    private static partial Regex Word();

    [GeneratedRegex(@"'[^']*'")]
    private static partial Regex TextColumn();

    /// <summary>The string, or null with why not (no parcel, an exception and its message, a null string, a short parcel).</summary>
    public static (string? Value, string? Problem) ReadString(string output)
    {
        var start = output.IndexOf("Parcel(", StringComparison.Ordinal);
        if (start < 0) return (null, $"not a parcel: {ShellText.FirstLine(output)}");
        var bytes = Bytes(TextColumn().Replace(output[(start + "Parcel(".Length)..], " "));
        if (bytes.Length < 8) return (null, "the parcel is too short for a status and a string");
        var status = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (status != 0)
        {
            // Parcel.writeException: the code, then the message as a String16.
            var message = String16(bytes, 4) ?? "no message";
            return (null, $"exception {status}: {message}");
        }
        return String16(bytes, 4) is { } value ? (value, null) : (null, "the reply holds no string (null or cut short)");
    }

    private static byte[] Bytes(string hex)
    {
        var words = Word().Matches(hex);
        var bytes = new byte[words.Count * 4];
        for (var i = 0; i < words.Count; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), uint.Parse(words[i].ValueSpan, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        return bytes;
    }

    private static string? String16(byte[] bytes, int at)
    {
        if (bytes.Length < at + 4) return null;
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        if (length < 0 || bytes.Length < at + 4 + length * 2) return null;
        return Encoding.Unicode.GetString(bytes, at + 4, length * 2);
    }
}
