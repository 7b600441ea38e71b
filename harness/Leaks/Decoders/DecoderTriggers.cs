namespace Harness.Leaks;

/// <summary>
/// What makes a decoder run. The walker's JSON fast path reads these: a document that holds a trigger of a decoder
/// the fast path does not reproduce is walked in full.
/// </summary>
public sealed record DecoderTriggers
{
    /// <summary>Signatures the input starts with (gzip's 1F 8B 08, zstd's 28 B5 2F FD, …).</summary>
    public IReadOnlyList<byte[]> MagicNumbers { get; init; } = [];

    /// <summary>Media types (substrings, lower case) of a body the decoder is tried on whatever its bytes.</summary>
    public IReadOnlyList<string> ContentTypes { get; init; } = [];

    /// <summary>Bytes whose presence in a text lets the decoder run: its escape character, separator or opener.</summary>
    public IReadOnlyList<byte> Bytes { get; init; } = [];

    /// <summary>The alphabet a run of input is made of (base64, hex), when the decoder works on such runs.</summary>
    public string? Alphabet { get; init; }

    /// <summary>Field names (of a form or document) the decoder recognises its input by.</summary>
    public IReadOnlyList<string> FieldNames { get; init; } = [];

    /// <summary>Whether it is tried on binary without a signature (brotli, raw deflate, protobuf).</summary>
    public bool Binary { get; init; }

    /// <summary>Decoders whose output it is tried on whatever that output looks like (protobuf on its own fields).</summary>
    public IReadOnlyList<string> Parents { get; init; } = [];
}
