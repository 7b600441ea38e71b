namespace Harness.Leaks;

/// <summary>
/// Base64, standard and URL-safe, padded or not. Finds runs inside longer blobs; the caller tries the four
/// character offsets of a run because the encoded data need not start where the run of alphabet characters does.
/// </summary>
public static class Base64Decoder
{
    private static readonly sbyte[] Values = BuildValues();

    /// <summary>
    /// Runs of base64 alphabet at least <paramref name="minLength"/> long that contain both upper- and lowercase letters:
    /// real base64 of 16+ characters almost always does, while words, numbers and hex digests rarely do.
    /// </summary>
    public static void FindRuns(ReadOnlySpan<byte> s, int minLength, List<EncodedRun> runs)
    {
        // Vectorized skipping: jump to the next alphabet byte, then to the end of the run; only long runs are inspected.
        var offset = 0;
        while (offset < s.Length)
        {
            var rest = s[offset..];
            var start = rest.IndexOfAny(Alphabet);
            if (start < 0) return;
            rest = rest[start..];
            var length = rest.IndexOfAnyExcept(Alphabet);
            if (length < 0) length = rest.Length;
            if (length >= minLength)
            {
                var run = rest[..length];
                if (run.IndexOfAnyInRange((byte)'A', (byte)'Z') >= 0 && run.IndexOfAnyInRange((byte)'a', (byte)'z') >= 0)
                    runs.Add(new EncodedRun(offset + start, length, run.IndexOfAny((byte)'-', (byte)'_') >= 0));
            }
            offset += start + length;
        }
    }

    /// <summary>Runs of the base64 alphabet of at least <paramref name="minLength"/>; hex runs can only occur inside these.</summary>
    public static void FindAlphabetRuns(ReadOnlySpan<byte> s, int minLength, List<EncodedRun> runs)
    {
        // A table loop, not IndexOfAny: in binary and in text alike, alphabet bytes come in short runs, and per-run
        // vectorized calls would cost more than they skip.
        var values = Values;
        var start = -1;
        for (var i = 0; i < s.Length; i++)
        {
            if (values[s[i]] >= 0)
            {
                if (start < 0) start = i;
            }
            else if (start >= 0)
            {
                if (i - start >= minLength) runs.Add(new EncodedRun(start, i - start, false));
                start = -1;
            }
        }
        if (start >= 0 && s.Length - start >= minLength) runs.Add(new EncodedRun(start, s.Length - start, false));
    }

    private static readonly System.Buffers.SearchValues<byte> Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"u8);

    /// <summary>Decodes as many whole bytes as the characters hold; stops at the first non-alphabet character.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> s)
    {
        var end = s.IndexOfAnyExcept(Alphabet);
        if (end >= 0) s = s[..end];
        var output = new byte[s.Length * 3 / 4];
        var urlSafe = s.IndexOfAny((byte)'-', (byte)'_') >= 0;
        var standard = s.IndexOfAny((byte)'+', (byte)'/') >= 0;
        var written = 0;
        var consumed = 0;
        if (!(urlSafe && standard))
        {
            // The vectorized decoders for the bulk; whole quads only, the unpadded tail is done below.
            var quads = s[..(s.Length / 4 * 4)];
            if (urlSafe) System.Buffers.Text.Base64Url.DecodeFromUtf8(quads, output, out consumed, out written, isFinalBlock: false);
            else System.Buffers.Text.Base64.DecodeFromUtf8(quads, output, out consumed, out written, isFinalBlock: false);
        }
        written += DecodeScalar(s[consumed..], output.AsSpan(written));
        return written == output.Length ? output : output[..written];
    }

    private static int DecodeScalar(ReadOnlySpan<byte> s, Span<byte> output)
    {
        var n = 0;
        var acc = 0;
        var bits = 0;
        foreach (var b in s)
        {
            var v = Values[b];
            if (v < 0) break;
            acc = (acc << 6) | (byte)v;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                output[n++] = (byte)(acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return n;
    }

    public static bool IsAlphabet(byte b) => Values[b] >= 0;

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[256];
        Array.Fill(values, (sbyte)-1);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (var i = 0; i < alphabet.Length; i++) values[alphabet[i]] = (sbyte)i;
        values['-'] = 62;
        values['_'] = 63;
        return values;
    }
}
