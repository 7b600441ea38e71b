namespace Harness.Leaks;

/// <summary>Hex runs (either case) inside longer payloads.</summary>
public static class HexDecoder
{
    public static void FindRuns(ReadOnlySpan<byte> s, int minLength, List<EncodedRun> runs)
    {
        // Probing every minLength-th byte as in Base64Decoder.FindAlphabetRuns: hex digits are dense in base64 and
        // identifiers, but runs of minLength are rare, and a probe outside hex rules out minLength run starts at once.
        var step = Math.Max(1, minLength);
        var from = 0;
        while (from + step - 1 < s.Length)
        {
            var probe = from + step - 1;
            if (!PercentDecoder.IsHex(s[probe]))
            {
                from = probe + 1;
                continue;
            }
            var start = probe;
            while (start > from && PercentDecoder.IsHex(s[start - 1])) start--;
            var end = probe + 1;
            while (end < s.Length && PercentDecoder.IsHex(s[end])) end++;
            var length = end - start;
            // Short all-digit runs are numbers (timestamps, ids); long ones may be hex of digits (hex of hex is all digits).
            if (length >= minLength && (length >= 24 || s.Slice(start, length).IndexOfAnyInRange((byte)'A', (byte)'z') >= 0))
                runs.Add(new EncodedRun(start, length, false));
            from = end + 1;
        }
    }

    public static byte[] Decode(ReadOnlySpan<byte> s)
    {
        var output = new byte[s.Length / 2];
        DecodeInto(s, output);
        return output;
    }

    /// <summary>Decodes pairs of hex digits into <paramref name="output"/> (at least half as long); returns the bytes written.</summary>
    public static int DecodeInto(ReadOnlySpan<byte> s, Span<byte> output)
    {
        var n = s.Length / 2;
        for (var i = 0; i < n; i++) output[i] = (byte)(PercentDecoder.HexValue(s[2 * i]) << 4 | PercentDecoder.HexValue(s[2 * i + 1]));
        return n;
    }
}
