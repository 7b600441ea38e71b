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
        // The alphabet runs (found by probing), kept when they have both cases.
        var first = runs.Count;
        FindAlphabetRuns(s, minLength, runs);
        var kept = first;
        for (var i = first; i < runs.Count; i++)
        {
            var run = s.Slice(runs[i].Start, runs[i].Length);
            if (run.IndexOfAnyInRange((byte)'A', (byte)'Z') < 0 || run.IndexOfAnyInRange((byte)'a', (byte)'z') < 0) continue;
            runs[kept++] = runs[i] with { UrlSafe = run.IndexOfAny((byte)'-', (byte)'_') >= 0 };
        }
        runs.RemoveRange(kept, runs.Count - kept);
    }

    /// <summary>Runs of the base64 alphabet of at least <paramref name="minLength"/>; hex runs can only occur inside these.</summary>
    public static void FindAlphabetRuns(ReadOnlySpan<byte> s, int minLength, List<EncodedRun> runs) =>
        AlphabetRunFinder.Find(s, minLength, hex: false, runs);

    private static readonly System.Buffers.SearchValues<byte> Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"u8);

    /// <summary>Decodes as many whole bytes as the characters hold; stops at the first non-alphabet character.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> s)
    {
        var output = new byte[s.Length * 3 / 4];
        var written = DecodeInto(s, output);
        return written == output.Length ? output : output[..written];
    }

    /// <summary>
    /// As <see cref="Decode"/>, into <paramref name="output"/> (at least 3/4 of the input long); returns the bytes written.
    /// </summary>
    public static int DecodeInto(ReadOnlySpan<byte> s, Span<byte> output)
    {
        var end = s.IndexOfAnyExcept(Alphabet);
        if (end >= 0) s = s[..end];
        output = output[..(s.Length * 3 / 4)];
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
        written += DecodeScalar(s[consumed..], output[written..]);
        return written;
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
