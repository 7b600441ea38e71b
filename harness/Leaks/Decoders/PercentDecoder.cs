namespace Harness.Leaks;

/// <summary>URL percent-decoding; one level per call (the walker recurses for more).</summary>
public static class PercentDecoder
{
    public static bool HasEscape(ReadOnlySpan<byte> s)
    {
        var i = s.IndexOf((byte)'%');
        while (i >= 0 && i + 2 < s.Length + 0)
        {
            if (i + 2 < s.Length && IsHex(s[i + 1]) && IsHex(s[i + 2])) return true;
            var next = s[(i + 1)..].IndexOf((byte)'%');
            if (next < 0) return false;
            i += 1 + next;
        }
        return false;
    }

    /// <param name="plusAsSpace">True for form fields and query strings, where '+' means space.</param>
    public static byte[] Decode(ReadOnlySpan<byte> s, bool plusAsSpace)
    {
        var output = new byte[s.Length];
        var n = DecodeInto(s, plusAsSpace, output);
        return n == output.Length ? output : output[..n];
    }

    /// <summary>As <see cref="Decode"/>, into a pooled buffer the caller returns.</summary>
    internal static RentedBytes DecodeRented(ReadOnlySpan<byte> s, bool plusAsSpace)
    {
        var output = new RentedBytes(s.Length);
        output.Length = DecodeInto(s, plusAsSpace, output.Array);
        return output;
    }

    private static int DecodeInto(ReadOnlySpan<byte> s, bool plusAsSpace, Span<byte> output)
    {
        var n = 0;
        var i = 0;
        while (i < s.Length)
        {
            // Text between escapes is copied in one piece (a form field holding base64 has an escape every few dozen bytes).
            var next = plusAsSpace ? s[i..].IndexOfAny((byte)'%', (byte)'+') : s[i..].IndexOf((byte)'%');
            var verbatim = next < 0 ? s.Length - i : next;
            s.Slice(i, verbatim).CopyTo(output[n..]);
            n += verbatim;
            i += verbatim;
            if (next < 0) break;
            var b = s[i];
            if (b == (byte)'%' && i + 2 < s.Length && IsHex(s[i + 1]) && IsHex(s[i + 2]))
            {
                output[n++] = (byte)(HexValue(s[i + 1]) << 4 | HexValue(s[i + 2]));
                i += 3;
            }
            else
            {
                output[n++] = b == (byte)'+' ? (byte)' ' : b;
                i++;
            }
        }
        return n;
    }

    public static bool IsHex(byte b) => HexTable[b] != 0;

    private static ReadOnlySpan<byte> HexTable =>
    [
        0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 1,1,1,1,1,1,1,1,1,1,0,0,0,0,0,0,
        0,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        0,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
        0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    ];

    public static int HexValue(byte b) => b <= (byte)'9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
