namespace Harness.Leaks;

/// <summary>
/// Tells ciphertext and compressed data apart from binary that has a name. A payload no decoder opens is opaque when
/// it is binary (<see cref="PayloadWalker.LooksText"/> says no), at least <see cref="ScanLimits.MinOpaqueBytes"/> long,
/// has no known file signature, and its byte entropy is at least <see cref="ScanLimits.MinOpaqueEntropy"/>.
/// </summary>
public static class OpaquePayloadClassifier
{
    /// <summary>Entropy is measured on at most this many leading bytes: 4 KiB of random bytes measure 7.95, so the figure is stable; the cost is bounded.</summary>
    private const int EntropySample = 4 * 1024;

    /// <summary>Why <paramref name="data"/> is opaque, or null when it is not (text, short, named or structured).</summary>
    public static string? Classify(ReadOnlySpan<byte> data, ScanLimits limits)
    {
        if (data.Length < limits.MinOpaqueBytes || PayloadWalker.LooksText(data) || KnownFormat(data) is not null) return null;
        var entropy = Entropy(data.Length > EntropySample ? data[..EntropySample] : data);
        if (entropy < limits.MinOpaqueEntropy) return null;
        return $"binary with {entropy:0.00} bits of entropy per byte that no decoder opens: ciphertext or an unknown compression";
    }

    /// <summary>Shannon entropy of the byte histogram, in bits per byte (0 to 8).</summary>
    public static double Entropy(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return 0;
        // Four histograms, merged at the end: consecutive equal bytes do not wait on each other's increment.
        Span<int> counts = stackalloc int[4 * 256];
        var i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            counts[data[i]]++;
            counts[256 + data[i + 1]]++;
            counts[512 + data[i + 2]]++;
            counts[768 + data[i + 3]]++;
        }
        for (; i < data.Length; i++) counts[data[i]]++;
        var entropy = 0.0;
        for (var b = 0; b < 256; b++)
        {
            var c = counts[b] + counts[256 + b] + counts[512 + b] + counts[768 + b];
            if (c == 0) continue;
            var p = (double)c / data.Length;
            entropy -= p * Math.Log2(p);
        }
        return entropy;
    }

    /// <summary>The name of a binary format recognised by its signature (images, fonts, media). Archives are not named: what they compress is as unread as ciphertext, or null.</summary>
    public static string? KnownFormat(ReadOnlySpan<byte> data)
    {
        foreach (var (name, offset, signature) in Signatures)
            if (data.Length >= offset + signature.Length && data.Slice(offset, signature.Length).SequenceEqual(signature)) return name;
        return null;
    }

    private static readonly (string Name, int Offset, byte[] Signature)[] Signatures =
    [
        ("PNG image", 0, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        ("JPEG image", 0, [0xFF, 0xD8, 0xFF]),
        ("GIF image", 0, "GIF8"u8.ToArray()),
        ("WebP image", 8, "WEBP"u8.ToArray()),
        ("BMP image", 0, "BM"u8.ToArray()),
        ("ICO image", 0, [0x00, 0x00, 0x01, 0x00]),
        ("HEIF/AVIF image or MP4 media", 4, "ftyp"u8.ToArray()),
        ("WOFF font", 0, "wOFF"u8.ToArray()),
        ("WOFF2 font", 0, "wOF2"u8.ToArray()),
        ("Ogg media", 0, "OggS"u8.ToArray()),
        ("WebM/Matroska media", 0, [0x1A, 0x45, 0xDF, 0xA3]),
        ("MP3 audio", 0, "ID3"u8.ToArray()),
        ("RIFF media", 0, "RIFF"u8.ToArray()),
    ];
}
