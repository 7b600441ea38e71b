namespace Harness.Leaks;

/// <summary>
/// Every decoder the scanner has, in one set. The walker applies them (see <see cref="PayloadWalker"/>), its JSON
/// fast path derives from their triggers what it may skip (<see cref="PayloadWalker.FastPathBlockers"/>), and the
/// property tests run every one of them under random nestings. A new decoder is added here.
/// </summary>
public static class DecoderRegistry
{
    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private const string HexAlphabet = "0123456789abcdefABCDEF";

    // zlib's first byte is CM=8 in the low nibble with any window size in the high one.
    private static readonly byte[][] ZlibMagic = Enumerable.Range(0, 8).Select(w => new[] { (byte)(w << 4 | 8) }).ToArray();

    public static IReadOnlyList<IPayloadDecoder> All { get; } =
    [
        new RegisteredDecoder("json", new DecoderTriggers { Bytes = [(byte)'{', (byte)'['], ContentTypes = ["json"] }, (input, _, _) =>
        {
            var values = new List<JsonValueSlot>();
            if (!JsonStringsDecoder.LooksLikeJson(input.Span)) return [];
            JsonStringsDecoder.TryDecode(input, includeNumbers: false, values);
            return values.Select(v => new DecodedPart("json " + v.Path, v.Value)).ToList();
        }),
        new RegisteredDecoder(DecodeSteps.JsonString.Decoder, new DecoderTriggers { Bytes = [(byte)'\\'] }, (input, _, _) =>
            JsonEscapeDecoder.HasEscape(input.Span) ? [new DecodedPart(DecodeSteps.JsonString.Label, JsonEscapeDecoder.Decode(input.Span))] : []),
        new RegisteredDecoder(DecodeSteps.Percent.Decoder, new DecoderTriggers { Bytes = [(byte)'%'] }, (input, _, _) =>
            PercentDecoder.HasEscape(input.Span) ? [new DecodedPart(DecodeSteps.Percent.Label, PercentDecoder.Decode(input.Span, plusAsSpace: false))] : []),
        new RegisteredDecoder(DecodeSteps.Html.Decoder, new DecoderTriggers { Bytes = [(byte)'&'] }, (input, _, _) =>
            HtmlEntityDecoder.HasEntity(input.Span) ? [new DecodedPart(DecodeSteps.Html.Label, HtmlEntityDecoder.Decode(input.Span))] : []),
        new RegisteredDecoder("form", new DecoderTriggers { Bytes = [(byte)'=', (byte)'&'], ContentTypes = ["x-www-form-urlencoded"] }, (input, _, _) =>
            FormFieldsDecoder.Decode(input.Span).Where(f => f.Value.Length > 0).Select(f => new DecodedPart("form:" + f.Name, f.Value)).ToList()),
        new RegisteredDecoder("multipart", new DecoderTriggers { ContentTypes = ["multipart/"] }, (input, contentType, _) =>
            MultipartDecoder.BoundaryOf(contentType) is { } boundary
                ? MultipartDecoder.Decode(input, boundary).Select(p => new DecodedPart("multipart:" + p.Name, p.Content)).ToList()
                : []),
        new RegisteredDecoder(DecodeSteps.Base64.Decoder, new DecoderTriggers { Alphabet = Base64Alphabet }, (input, _, _) =>
            [new DecodedPart(DecodeSteps.Base64.Label, Base64Decoder.Decode(input.Span))]),
        new RegisteredDecoder(DecodeSteps.Base64Url.Decoder, new DecoderTriggers { Alphabet = Base64UrlAlphabet }, (input, _, _) =>
            [new DecodedPart(DecodeSteps.Base64Url.Label, Base64Decoder.Decode(input.Span))]),
        new RegisteredDecoder(DecodeSteps.Hex.Decoder, new DecoderTriggers { Alphabet = HexAlphabet }, (input, _, _) =>
            [new DecodedPart(DecodeSteps.Hex.Label, HexDecoder.Decode(input.Span))]),
        new RegisteredDecoder(DecodeSteps.Gzip.Decoder, new DecoderTriggers { MagicNumbers = [[0x1f, 0x8b, 0x08]] }, (input, _, limits) =>
            Decompressed(DecodeSteps.Gzip, CompressionDecoder.IsGzip(input.Span) ? CompressionDecoder.Gzip(input, limits.MaxDecodedBytesPerStep, out bool _) : null)),
        new RegisteredDecoder(DecodeSteps.Zstd.Decoder, new DecoderTriggers { MagicNumbers = [[0x28, 0xb5, 0x2f, 0xfd]] }, (input, _, limits) =>
            Decompressed(DecodeSteps.Zstd, CompressionDecoder.IsZstd(input.Span) ? CompressionDecoder.Zstd(input, limits.MaxDecodedBytesPerStep, out bool _) : null)),
        new RegisteredDecoder(DecodeSteps.Zlib.Decoder, new DecoderTriggers { MagicNumbers = ZlibMagic }, (input, _, limits) =>
            Decompressed(DecodeSteps.Zlib, CompressionDecoder.IsZlib(input.Span) ? CompressionDecoder.Zlib(input, limits.MaxDecodedBytesPerStep, out bool _) : null)),
        new RegisteredDecoder(DecodeSteps.Brotli.Decoder, new DecoderTriggers { Binary = true }, (input, _, limits) =>
            Decompressed(DecodeSteps.Brotli, CompressionDecoder.Brotli(input.Span, limits.MaxDecodedBytesPerStep, out var complete) is { } b && complete ? b : null)),
        new RegisteredDecoder(DecodeSteps.Deflate.Decoder, new DecoderTriggers { Binary = true }, (input, _, limits) =>
            Decompressed(DecodeSteps.Deflate, CompressionDecoder.RawDeflate(input, limits.MaxDecodedBytesPerStep, out var complete) is { } d && complete ? d : null)),
        new RegisteredDecoder("protobuf", new DecoderTriggers { Binary = true, Parents = ["protobuf"] }, (input, _, _) =>
            ProtobufDecoder.TryParse(input) is { } fields
                ? fields.Select(f => new DecodedPart("protobuf #" + f.Field.ToString(System.Globalization.CultureInfo.InvariantCulture), f.Content)).ToList()
                : []),
        SensorsAnalyticsDecoder.Instance,
    ];

    /// <summary>The registered decoders that read a form as a whole by its field names; the walker offers them every form.</summary>
    public static IReadOnlyList<IFormFieldsDecoder> FormDecoders { get; } = All.OfType<IFormFieldsDecoder>().ToList();

    public static IPayloadDecoder Named(string name) =>
        All.FirstOrDefault(d => d.Name == name) ?? throw new ArgumentException($"no decoder named '{name}'", nameof(name));

    private static IReadOnlyList<DecodedPart> Decompressed(DecodeStep step, byte[]? output) =>
        output is { Length: > 0 } ? [new DecodedPart(step.Label, output)] : [];
}
