namespace Harness.Leaks;

/// <summary>Bounds that keep the scanner fast and safe on hostile input (zip bombs, deeply nested encodings).</summary>
public sealed class ScanLimits
{
    /// <summary>How many decode steps deep a payload may be.</summary>
    public int MaxDepth { get; init; } = 8;
    /// <summary>Cap on the output of one decompression; more is cut off (and still scanned as far as it goes).</summary>
    public int MaxDecodedBytesPerStep { get; init; } = 16 * 1024 * 1024;
    /// <summary>Cap on all decoded bytes produced under one view of one flow.</summary>
    public long MaxDecodedBytesPerView { get; init; } = 64L * 1024 * 1024;
    /// <summary>Shortest base64 run worth decoding: a canary of 18 characters is 24 in base64.</summary>
    public int MinBase64Run { get; init; } = 16;
    /// <summary>Shortest hex run worth decoding.</summary>
    public int MinHexRun { get; init; } = 16;
    /// <summary>Bodies larger than this are not tried with schema-less decoders (brotli, raw deflate, protobuf).</summary>
    public int MaxBlindDecodeInput { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Shortest binary payload that counts as opaque when no decoder opens it. An RSA-4096 signature is 512 bytes and
    /// session ids, nonces and tokens are far shorter, so ordinary structured traffic stays below it; a ciphertext or
    /// a compressed stream that can hold a URL rarely does.
    /// </summary>
    public int MinOpaqueBytes { get; init; } = 513;
    /// <summary>
    /// Bits per byte (Shannon entropy of the byte histogram) above which unopened binary counts as ciphertext or
    /// compressed data. Random bytes measure 7.6 at 513 bytes and 7.95 at 4 KiB; structured binary (protobuf, tables
    /// of numbers, UTF-16 text) stays below 6.5.
    /// </summary>
    public double MinOpaqueEntropy { get; init; } = 7.2;

    public static ScanLimits Default { get; } = new();
}
