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
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var b = s[i];
            if (b == (byte)'%' && i + 2 < s.Length && IsHex(s[i + 1]) && IsHex(s[i + 2]))
            {
                output[n++] = (byte)(HexValue(s[i + 1]) << 4 | HexValue(s[i + 2]));
                i += 2;
            }
            else if (b == (byte)'+' && plusAsSpace) output[n++] = (byte)' ';
            else output[n++] = b;
        }
        return n == output.Length ? output : output[..n];
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
