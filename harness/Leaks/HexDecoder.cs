namespace Harness.Leaks;

/// <summary>Hex runs (either case) inside longer payloads.</summary>
public static class HexDecoder
{
    public static void FindRuns(ReadOnlySpan<byte> s, int minLength, List<EncodedRun> runs)
    {
        // A table loop: hex digits are dense in base64 and identifiers, so runs are short and many.
        var start = -1;
        var letters = false;
        for (var i = 0; i <= s.Length; i++)
        {
            var b = i < s.Length ? s[i] : (byte)0;
            if (i < s.Length && PercentDecoder.IsHex(b))
            {
                if (start < 0) { start = i; letters = false; }
                if (b > (byte)'9') letters = true;
                continue;
            }
            if (start < 0) continue;
            var length = i - start;
            // Short all-digit runs are numbers (timestamps, ids); long ones may be hex of digits (hex of hex is all digits).
            if (length >= minLength && (letters || length >= 24)) runs.Add(new EncodedRun(start, length, false));
            start = -1;
        }
    }

    public static byte[] Decode(ReadOnlySpan<byte> s)
    {
        var output = new byte[s.Length / 2];
        for (var i = 0; i < output.Length; i++) output[i] = (byte)(PercentDecoder.HexValue(s[2 * i]) << 4 | PercentDecoder.HexValue(s[2 * i + 1]));
        return output;
    }
}
