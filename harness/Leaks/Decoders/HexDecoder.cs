namespace Harness.Leaks;

/// <summary>Hex runs (either case) inside longer payloads.</summary>
public static class HexDecoder
{
    public static void FindRuns(ReadOnlySpan<byte> s, int minLength, List<EncodedRun> runs)
    {
        var first = runs.Count;
        AlphabetRunFinder.Find(s, minLength, hex: true, runs);
        // Short all-digit runs are numbers (timestamps, ids); long ones may be hex of digits (hex of hex is all digits).
        var kept = first;
        for (var i = first; i < runs.Count; i++)
            if (runs[i].Length >= 24 || s.Slice(runs[i].Start, runs[i].Length).IndexOfAnyInRange((byte)'A', (byte)'z') >= 0) runs[kept++] = runs[i];
        runs.RemoveRange(kept, runs.Count - kept);
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
        // A table lookup per digit: random hex mixes digits and letters, which a compare per digit would mispredict.
        var values = DigitValues;
        for (var i = 0; i < n; i++) output[i] = (byte)(values[s[2 * i]] << 4 | values[s[2 * i + 1]]);
        return n;
    }

    // The value of each hex digit (either case); 0 for other bytes, which the decoder is not given (it decodes hex runs).
    private static ReadOnlySpan<byte> DigitValues =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0,
        0, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
}
