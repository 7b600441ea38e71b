namespace Harness.Leaks;

/// <summary>
/// Applies the decoders recursively to a bounded depth and hands every payload it reaches to a visitor.
/// Decoding is lazy: a decoder runs only where the bytes look like its input (a magic number, a run of its alphabet,
/// an escape sequence), and schema-less decoders (brotli, raw deflate, protobuf) only on binary that came out of
/// another decoder or an untyped body. Output is capped per step and per view, so hostile input cannot blow up.
/// </summary>
public sealed class PayloadWalker(ScanLimits limits)
{
    public ScanLimits Limits { get; } = limits;

    public void Walk(ReadOnlyMemory<byte> data, DecodePath root, string? contentType, IPayloadVisitor visitor)
    {
        var budget = new Budget { Remaining = Limits.MaxDecodedBytesPerView };
        var ct = contentType?.ToLowerInvariant();
        var blind = ct is null || ct.Contains("octet-stream") || ct.Contains("protobuf") || ct.Contains("x-binary");
        WalkNode(data, root, contentType, blind, visitor, budget);
    }

    private void WalkNode(ReadOnlyMemory<byte> data, DecodePath path, string? contentType, bool allowBlind, IPayloadVisitor visitor, Budget budget) =>
        WalkNode(data, path, contentType, allowBlind, visitor, budget, default);

    /// <summary>
    /// Percent, HTML-entity and JSON-string decoding keep the text otherwise intact, so their children would redo each
    /// other's work (an HTML page with both <c>&amp;amp;</c> and <c>\/</c> decoded in every order). A child skips a
    /// text decoder its parent already ran unless decoding revealed more of that decoder's escapes; it always
    /// may run its own decoder again (double encoding).
    /// </summary>
    private readonly record struct TextDecoderState(bool RanPercent, int Percents, bool RanHtml, int Ampersands, bool RanJsonString, int Backslashes);

    private void WalkNode(ReadOnlyMemory<byte> data, DecodePath path, string? contentType, bool allowBlind, IPayloadVisitor visitor, Budget budget, TextDecoderState inherited, bool alreadyScanned = false)
    {
        var s = data.Span;
        if (s.Length < visitor.MinInterestingLength || s.IsEmpty) return;
        var canDescend = path.Depth < Limits.MaxDepth;

        if (canDescend && TryMagicDecompression(data, path, visitor, budget)) return;

        var text = LooksText(s);
        if (text && canDescend && JsonStringsDecoder.LooksLikeJson(s))
        {
            var values = _slotLists.TryPop(out var pooled) ? pooled : [];
            bool complete;
            try
            {
                complete = JsonStringsDecoder.TryDecode(data, visitor.WantsEveryJsonValue, values);
                if (complete && !visitor.WantsEveryJsonValue)
                {
                    // Scan the document once; only strings that hold a match (for their JSONPath) or could hide an
                    // encoding become payloads of their own. Most strings are neither, and skipping them is most of the speed.
                    var documentRuns = RentRuns();
                    Base64Decoder.FindAlphabetRuns(s, Math.Min(Limits.MinBase64Run, Limits.MinHexRun), documentRuns);
                    var found = visitor.Visit(new PayloadNode(data, path, documentRuns));
                    ReturnRuns(documentRuns);
                    // An unescaped string is a slice of the document just scanned: when that scan found nothing, neither
                    // can a scan of the slice, so only the string's decodings are left to look at.
                    foreach (var slot in values)
                        if (slot.Value.Length >= visitor.MinInterestingLength && (found || slot.Escaped || MayHideEncoding(slot.Value.Span)))
                            WalkNode(slot.Value, path.Then("json", "json " + slot.Path), null, false, visitor, budget, default, alreadyScanned: !found && !slot.Escaped);
                    return;
                }
                foreach (var slot in values)
                    if (slot.Value.Length >= visitor.MinInterestingLength)
                        WalkNode(slot.Value, path.Then("json", "json " + slot.Path), null, false, visitor, budget);
            }
            finally
            {
                values.Clear();
                _slotLists.Push(values);
            }
            // A complete document is fully covered by its strings; a broken one is also scanned as it is.
            if (complete) return;
        }

        // Hex is a subset of the base64 alphabet, so one pass finds where either (or a digest) can be.
        var alphabetRuns = RentRuns();
        try
        {
            Base64Decoder.FindAlphabetRuns(s, Math.Min(Limits.MinBase64Run, Limits.MinHexRun), alphabetRuns);
            if (!alreadyScanned) visitor.Visit(new PayloadNode(data, path, alphabetRuns));
            if (!canDescend) return;

            // A buffer that parses completely as protobuf is fully covered by its fields, like JSON by its strings.
            // Nested messages often look like text (tags and lengths are printable bytes), hence the parent check.
            var insideProtobuf = path.Step?.Decoder == "protobuf";
            if ((!text && allowBlind || insideProtobuf) && s.Length <= Limits.MaxBlindDecodeInput && ProtobufDecoder.TryParse(data) is { } protobufFields)
            {
                foreach (var (field, content) in protobufFields)
                    WalkNode(content, path.Then("protobuf", "protobuf #" + field.ToString(System.Globalization.CultureInfo.InvariantCulture)), null, true, visitor, budget);
                return;
            }

            if (text)
            {
                if (MultipartDecoder.BoundaryOf(contentType) is { } boundary)
                {
                    foreach (var (name, content) in MultipartDecoder.Decode(data, boundary))
                        WalkNode(content, path.Then("multipart", "multipart:" + name), null, false, visitor, budget);
                    return;
                }
                var isForm = contentType?.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
                             || (contentType is null or "" || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)) && FormFieldsDecoder.LooksLikeForm(s);
                if (isForm)
                {
                    var fields = FormFieldsDecoder.Decode(s);
                    // Base64 padding also looks like "name=": a form has at least one field with a value.
                    if (fields.Any(f => f.Value.Length > 0))
                    {
                        foreach (var (name, value) in fields)
                            if (value.Length > 0 && budget.Take(value.Length))
                                WalkNode(value, path.Then("form", "form:" + name), null, false, visitor, budget);
                        return;
                    }
                }
                var percents = inherited.RanPercent ? s.Count((byte)'%') : 0;
                var ampersands = inherited.RanHtml ? s.Count((byte)'&') : 0;
                var backslashes = inherited.RanJsonString ? s.Count((byte)'\\') : 0;
                var percent = (!inherited.RanPercent || percents > inherited.Percents) && PercentDecoder.HasEscape(s);
                var json = (!inherited.RanJsonString || backslashes > inherited.Backslashes) && JsonEscapeDecoder.HasEscape(s);
                var html = (!inherited.RanHtml || ampersands > inherited.Ampersands) && HtmlEntityDecoder.HasEntity(s);
                if (percent || json || html)
                {
                    var state = new TextDecoderState(
                        percent || inherited.RanPercent, percent || inherited.RanPercent ? s.Count((byte)'%') : 0,
                        html || inherited.RanHtml, html || inherited.RanHtml ? s.Count((byte)'&') : 0,
                        json || inherited.RanJsonString, json || inherited.RanJsonString ? s.Count((byte)'\\') : 0);
                    if (percent && budget.Take(s.Length))
                        WalkNode(PercentDecoder.Decode(s, plusAsSpace: false), path.Then("percent", "percent"), null, false, visitor, budget, state with { RanPercent = false });
                    if (json && budget.Take(s.Length))
                        WalkNode(JsonEscapeDecoder.Decode(s), path.Then("json-string", "json-string"), null, false, visitor, budget, state with { RanJsonString = false });
                    if (html && budget.Take(s.Length))
                        WalkNode(HtmlEntityDecoder.Decode(s), path.Then("html", "html"), null, false, visitor, budget, state with { RanHtml = false });
                }
            }

            foreach (var region in alphabetRuns)
            {
                WalkBase64Runs(data.Slice(region.Start, region.Length), path, visitor, budget);
                WalkHexRuns(data.Slice(region.Start, region.Length), path, visitor, budget);
            }

            if (!text && allowBlind && s.Length >= 16 && s.Length <= Limits.MaxBlindDecodeInput) WalkBlind(data, path, visitor, budget);
        }
        finally
        {
            ReturnRuns(alphabetRuns);
        }
    }

    private bool TryMagicDecompression(ReadOnlyMemory<byte> data, DecodePath path, IPayloadVisitor visitor, Budget budget)
    {
        var s = data.Span;
        string name;
        CompressionDecoder.Format format;
        if (CompressionDecoder.IsGzip(s)) (name, format) = ("gzip", CompressionDecoder.Format.Gzip);
        else if (CompressionDecoder.IsZstd(s)) (name, format) = ("zstd", CompressionDecoder.Format.Zstd);
        else if (CompressionDecoder.IsZlib(s)) (name, format) = ("zlib", CompressionDecoder.Format.Zlib);
        else return false;
        var cap = budget.Cap(Limits.MaxDecodedBytesPerStep);
        if (cap <= 0) return false;
        if (CompressionDecoder.Rented(format, data, cap, out _) is not { } output) return false;
        try
        {
            budget.Take(output.Length);
            WalkNode(output.Memory, path.Then(name, name), null, true, visitor, budget);
        }
        finally
        {
            output.Return();
        }
        return true;
    }

    private void WalkBlind(ReadOnlyMemory<byte> data, DecodePath path, IPayloadVisitor visitor, Budget budget)
    {
        var cap = budget.Cap(Limits.MaxDecodedBytesPerStep);
        if (cap <= 0) return;
        // Schema-less tries on random-looking binary fail within the first bytes; probe before paying for a full try.
        var probe = data[..Math.Min(data.Length, 1024)];
        var brotliComplete = false;
        var brotli = CompressionDecoder.BrotliProbe(probe.Span) ? CompressionDecoder.Brotli(data.Span, cap, out brotliComplete) : null;
        if (brotli is not null && brotliComplete && budget.Take(brotli.Length))
        {
            WalkNode(brotli, path.Then("brotli", "brotli"), null, true, visitor, budget);
            return;
        }
        if (!CompressionDecoder.RawDeflateProbe(probe)) return;
        var deflate = CompressionDecoder.RawDeflate(data, cap, out var deflateComplete);
        if (deflate is not null && deflateComplete && budget.Take(deflate.Length))
            WalkNode(deflate, path.Then("deflate", "deflate"), null, true, visitor, budget);
    }

    private void WalkBase64Runs(ReadOnlyMemory<byte> data, DecodePath path, IPayloadVisitor visitor, Budget budget)
    {
        var runs = RentRuns();
        Base64Decoder.FindRuns(data.Span, Limits.MinBase64Run, runs);
        foreach (var run in runs)
        {
            var name = run.UrlSafe ? "base64url" : "base64";
            for (var offset = 0; offset < 4 && run.Length - offset >= Limits.MinBase64Run; offset++)
            {
                var decoded = new RentedBytes((run.Length - offset) * 3 / 4);
                try
                {
                    decoded.Length = Base64Decoder.DecodeInto(data.Span.Slice(run.Start + offset, run.Length - offset), decoded.Array);
                    if (decoded.Length < 4 || !budget.Take(decoded.Length)) continue;
                    var child = path.Then(name, name);
                    var bytes = decoded.Memory;
                    var aligned = offset == 0 && run.Length % 4 != 1;
                    var magic = offset > 0 ? MagicWithin(bytes.Span, 3) : -1;
                    if (offset > 0 && magic < 0 && !IsMostlyPrintable(bytes.Span))
                    {
                        // A shifted decode of real data is noise unless it reveals text or a compressed stream; scanning
                        // it for canaries is enough, walking it for further encodings is not worth its cost.
                        visitor.Visit(new PayloadNode(bytes, child));
                        continue;
                    }
                    if (magic > 0) bytes = bytes[magic..];
                    WalkNode(bytes, child, null, aligned, visitor, budget);
                    // Data that decodes cleanly from the run's start is what the run is; other offsets would be noise.
                    if (offset == 0 && (HasMagic(bytes.Span) || IsMostlyPrintable(bytes.Span))) break;
                }
                finally
                {
                    decoded.Return();
                }
            }
        }
        ReturnRuns(runs);
    }

    private void WalkHexRuns(ReadOnlyMemory<byte> data, DecodePath path, IPayloadVisitor visitor, Budget budget)
    {
        var runs = RentRuns();
        HexDecoder.FindRuns(data.Span, Limits.MinHexRun, runs);
        var exhausted = false;
        foreach (var run in runs)
        {
            if (exhausted) break;
            for (var offset = 0; offset < 2; offset++)
            {
                var length = (run.Length - offset) / 2 * 2;
                if (length < Limits.MinHexRun) break;
                var decoded = new RentedBytes(length / 2);
                try
                {
                    decoded.Length = HexDecoder.DecodeInto(data.Span.Slice(run.Start + offset, length), decoded.Array);
                    if (!budget.Take(decoded.Length))
                    {
                        exhausted = true;
                        break;
                    }
                    // Hex runs are mostly ids and digests; hex-wrapped compressed data is rare, so no schema-less tries on it.
                    WalkNode(decoded.Memory, path.Then("hex", "hex"), null, false, visitor, budget);
                }
                finally
                {
                    decoded.Return();
                }
                if (offset == 0 && run.Length % 2 == 0) break;
            }
        }
        ReturnRuns(runs);
    }

    // Run and slot lists are reused across nodes: a walk allocates a few lists, not a few per payload.
    private readonly Stack<List<EncodedRun>> _runLists = new();
    private readonly Stack<List<JsonValueSlot>> _slotLists = new();

    private List<EncodedRun> RentRuns() => _runLists.TryPop(out var list) ? list : [];

    private void ReturnRuns(List<EncodedRun> list)
    {
        list.Clear();
        _runLists.Push(list);
    }

    /// <summary>Whether a JSON string could hold an encoded canary: escapes, nested JSON, binary, or a long alphabet run.</summary>
    private bool MayHideEncoding(ReadOnlySpan<byte> s)
    {
        if (s.IndexOfAny(EncodingHints) >= 0) return true;
        // The same run criteria the decoders use: a base64 run needs both cases, a hex run a letter or great length.
        _scratchRuns.Clear();
        Base64Decoder.FindRuns(s, Limits.MinBase64Run, _scratchRuns);
        if (_scratchRuns.Count > 0) return true;
        HexDecoder.FindRuns(s, Limits.MinHexRun, _scratchRuns);
        return _scratchRuns.Count > 0;
    }

    private readonly List<EncodedRun> _scratchRuns = [];

    // Escape and nesting characters plus control bytes: one vectorized search (a span of six values is a scalar loop).
    private static readonly System.Buffers.SearchValues<byte> EncodingHints = System.Buffers.SearchValues.Create(
        [(byte)'%', (byte)'&', (byte)'\\', (byte)'{', (byte)'[', (byte)'<', .. Enumerable.Range(0, 0x20).Select(b => (byte)b)]);

    /// <summary>Offset of a compression magic number in the first <paramref name="within"/> bytes, or -1.</summary>
    private static int MagicWithin(ReadOnlySpan<byte> data, int within)
    {
        for (var i = 0; i < within && i < data.Length; i++)
            if (HasMagic(data[i..])) return i;
        return -1;
    }

    private static bool HasMagic(ReadOnlySpan<byte> s) => CompressionDecoder.IsGzip(s) || CompressionDecoder.IsZstd(s) || CompressionDecoder.IsZlib(s);

    /// <summary>Text or binary, judged on a sample: binary has NULs or many control bytes.</summary>
    public static bool LooksText(ReadOnlySpan<byte> s)
    {
        var sample = s.Length > 512 ? s[..512] : s;
        var control = 0;
        foreach (var b in sample)
        {
            if (b == 0) return false;
            if (b < 0x20 && b is not (9 or 10 or 13) || b == 0x7f) control++;
        }
        return control * 20 < sample.Length || control == 0;
    }

    internal static bool IsMostlyPrintable(ReadOnlySpan<byte> s)
    {
        // Same answer as counting all printable bytes, but binary (the common case) is rejected within its first
        // blocks: stop as soon as more than a tenth of the whole is known to be unprintable.
        var allowed = s.Length * 10L;
        var unprintable = 0L;
        for (var i = 0; i < s.Length; i += 256)
        {
            unprintable += 100L * CountUnprintable(s.Slice(i, Math.Min(256, s.Length - i)));
            if (unprintable > allowed) return false;
        }
        return true;
    }

    /// <summary>Bytes outside printable ASCII, tab, LF and CR; 16 at a time where the hardware allows.</summary>
    private static int CountUnprintable(ReadOnlySpan<byte> s)
    {
        var count = 0;
        var i = 0;
        if (System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated)
        {
            var space = System.Runtime.Intrinsics.Vector128.Create((byte)0x20);
            var printableWidth = System.Runtime.Intrinsics.Vector128.Create((byte)0x5f);
            var tab = System.Runtime.Intrinsics.Vector128.Create((byte)9);
            var lf = System.Runtime.Intrinsics.Vector128.Create((byte)10);
            var cr = System.Runtime.Intrinsics.Vector128.Create((byte)13);
            for (; i + 16 <= s.Length; i += 16)
            {
                var v = System.Runtime.Intrinsics.Vector128.Create(s.Slice(i, 16));
                // Unsigned: bytes below the space wrap around and fall outside the width, as does DEL (0x7f).
                var printable = System.Runtime.Intrinsics.Vector128.LessThan(v - space, printableWidth)
                                | System.Runtime.Intrinsics.Vector128.Equals(v, tab)
                                | System.Runtime.Intrinsics.Vector128.Equals(v, lf)
                                | System.Runtime.Intrinsics.Vector128.Equals(v, cr);
                count += 16 - System.Numerics.BitOperations.PopCount(System.Runtime.Intrinsics.Vector128.ExtractMostSignificantBits(printable));
            }
        }
        for (; i < s.Length; i++)
            if (s[i] is not (>= 0x20 and < 0x7f or 9 or 10 or 13)) count++;
        return count;
    }

    private sealed class Budget
    {
        public long Remaining { get; set; }

        public bool Take(long n)
        {
            if (n > Remaining) return false;
            Remaining -= n;
            return true;
        }

        public int Cap(int perStep) => (int)Math.Min(perStep, Remaining);
    }
}
