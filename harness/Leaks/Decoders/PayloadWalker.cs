using System.Runtime.Intrinsics;

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
            if (visitor is IProbingVisitor probing && !visitor.WantsEveryJsonValue && NothingBelowDocument(data, path, contentType, probing, visitor, budget))
                return;
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
            // Where schema-less decoders are allowed, text is tried as protobuf too when it starts as a message of
            // low-numbered fields does (tag bytes below 0x20: a message of string fields is mostly printable), and
            // then its fields are walked as well as the text, not instead of it.
            var insideProtobuf = path.Step?.Decoder == "protobuf";
            if ((allowBlind && (!text || s[0] < 0x20) || insideProtobuf) && s.Length <= Limits.MaxBlindDecodeInput && ProtobufDecoder.TryParse(data) is { } protobufFields)
            {
                foreach (var (field, content) in protobufFields)
                    WalkNode(content, path.Then("protobuf", "protobuf #" + field.ToString(System.Globalization.CultureInfo.InvariantCulture)), null, true, visitor, budget);
                if (!text || insideProtobuf) return;
            }

            // A multipart body is split whatever its parts hold: an uploaded file makes the whole body look binary.
            if (MultipartDecoder.BoundaryOf(contentType) is { } boundary)
            {
                foreach (var (name, content) in MultipartDecoder.Decode(data, boundary))
                    WalkNode(content, path.Then("multipart", "multipart:" + name), null, false, visitor, budget);
                return;
            }

            if (text)
            {
                var isForm = contentType?.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
                             || (contentType is null or "" || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)) && FormFieldsDecoder.LooksLikeForm(s);
                if (isForm)
                {
                    var fields = FormFieldsDecoder.Decode(s);
                    // Base64 padding also looks like "name=": a form has at least one field with a value.
                    if (fields.Any(f => f.Value.Length > 0))
                    {
                        var consumed = WalkFormUploads(fields, path, visitor, budget);
                        foreach (var (name, value) in fields)
                            if (value.Length > 0 && (consumed is null || !consumed.Contains(name)) && budget.Take(value.Length))
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
                    // Both escape decoders need to know whether the text is valid UTF-8; one check serves both.
                    var validUtf8 = (json || html) && System.Text.Unicode.Utf8.IsValid(s);
                    if (percent && budget.Take(s.Length))
                        WalkDecoded(PercentDecoder.DecodeRented(s, plusAsSpace: false), path.Then(DecodeSteps.Percent), visitor, budget, state with { RanPercent = false });
                    if (json && budget.Take(s.Length))
                        WalkDecoded(JsonEscapeDecoder.DecodeRented(s, validUtf8), path.Then(DecodeSteps.JsonString), visitor, budget, state with { RanJsonString = false });
                    if (html && budget.Take(s.Length))
                        WalkDecoded(HtmlEntityDecoder.DecodeRented(s, validUtf8, _htmlReferences), path.Then(DecodeSteps.Html), visitor, budget, state with { RanHtml = false });
                }
            }

            foreach (var region in alphabetRuns)
            {
                WalkBase64Runs(data.Slice(region.Start, region.Length), path, visitor, budget);
                WalkHexRuns(data.Slice(region.Start, region.Length), path, visitor, budget);
            }

            // Brotli and raw deflate are tried wherever schema-less decoders are allowed, text or not: a stored
            // (uncompressed) block looks like the text it holds. Only a stream that decodes to its end counts.
            if (allowBlind && s.Length >= 16 && s.Length <= Limits.MaxBlindDecodeInput) WalkBlind(data, path, visitor, budget);
        }
        finally
        {
            ReturnRuns(alphabetRuns);
        }
    }

    /// <summary>
    /// Offers a form to every registered decoder that reads a form by its field names (an analytics SDK's upload).
    /// What one opens is walked under its step; what it cannot read is reported to the visitor as unreadable, and its
    /// raw fields are walked as well (a canary may still sit in them). Returns the fields an opened upload consumed.
    /// </summary>
    private IReadOnlyCollection<string>? WalkFormUploads(List<(string Name, byte[] Value)> fields, DecodePath path, IPayloadVisitor visitor, Budget budget)
    {
        IReadOnlyCollection<string>? consumed = null;
        foreach (var decoder in DecoderRegistry.FormDecoders)
        {
            using var upload = decoder.Open(fields, Limits);
            if (upload is null) continue;
            var step = path.Then(decoder.Name, upload.Label);
            if (upload.UnreadableReason is { } reason)
            {
                visitor.Unreadable(step, upload.UnreadableSize, reason);
                continue;
            }
            if (!budget.Take(upload.Content.Length)) continue;
            foreach (var encoding in upload.Encodings) step = step.Then(encoding);
            consumed = upload.ConsumedFields;
            // When the probe shows nothing in the content (a batch is one JSON document), its parts need no walk. It
            // probes at the parts' depth, so that its depth margin covers the parts' own step.
            var content = upload.Content;
            if (visitor is IProbingVisitor probing && !visitor.WantsEveryJsonValue && LooksText(content.Span) && JsonStringsDecoder.LooksLikeJson(content.Span)
                && NothingBelowDocument(content, step.Then(upload.PartKind, "(all)"), null, probing, visitor, budget))
                continue;
            if (upload.PartCount == 0) WalkNode(content, step, null, false, visitor, budget);
            foreach (var (label, part) in upload.Parts)
                WalkNode(part, step.Then(upload.PartKind, label), null, false, visitor, budget);
        }
        return consumed;
    }

    /// <summary>Walks text decoded into a pooled buffer, then returns the buffer.</summary>
    private void WalkDecoded(RentedBytes decoded, DecodePath path, IPayloadVisitor visitor, Budget budget, TextDecoderState state)
    {
        try
        {
            WalkNode(decoded.Memory, path, null, false, visitor, budget, state);
        }
        finally
        {
            decoded.Return();
        }
    }

    /// <summary>
    /// Whether a JSON document provably holds nothing the visitor would find, decided without parsing it. The strings
    /// of a document are slices of its bytes (or of its bytes with <c>\/</c> undone) as long as the document has no
    /// other escapes; without percent signs, ampersands, '=' and control bytes, the only decoders that can apply to a
    /// string are the base64 and hex walks of its alphabet runs, which are runs of the document too, and a
    /// decompression when the string starts with a magic number. So scanning the document, walking its runs with a
    /// probe, and checking what follows each quote covers every string, whether the document parses or not
    /// (a broken document is also walked as plain text: the same runs). Any doubt (other escapes, a probe that came
    /// near the depth limit or ran into the budget) answers false, and the document is walked as before.
    /// </summary>
    private bool NothingBelowDocument(ReadOnlyMemory<byte> data, DecodePath path, string? contentType, IProbingVisitor probing, IPayloadVisitor visitor, Budget budget)
    {
        var s = data.Span;
        // Decoders the argument above does not cover may apply: by the parent step, the content type, a field name
        // or a trigger byte of theirs (FastPathBlockers).
        if (path.Step is { } parent && FastPathParents.Contains(parent.Decoder)) return false;
        if (contentType is not null && FastPathContentTypes.Any(t => contentType.Contains(t, StringComparison.OrdinalIgnoreCase))) return false;
        if (s.IndexOfAny(FastPathBlockers) >= 0) return false;
        foreach (var name in FastPathFieldNames)
            if (s.IndexOf(name) >= 0) return false;
        var backslash = s.IndexOf((byte)'\\');
        var unescaped = default(RentedBytes);
        if (backslash >= 0 && !TryUndoSlashEscapes(s, backslash, out unescaped)) return false;
        try
        {
            return NothingBelowText(data, path, probing, visitor, budget, backslash >= 0 ? unescaped.Memory : (ReadOnlyMemory<byte>?)null);
        }
        finally
        {
            unescaped.Return();
        }
    }

    /// <param name="unescaped">The document with its "\/" escapes undone, when it has any.</param>
    private bool NothingBelowText(ReadOnlyMemory<byte> data, DecodePath path, IProbingVisitor probing, IPayloadVisitor visitor, Budget budget, ReadOnlyMemory<byte>? unescaped)
    {
        var s = data.Span;
        // Undoing "\/" changes no byte after a quote into the start of a magic number ('/' starts none, and no
        // magic number has '/' second), so the check on the document covers the unescaped text too.
        if (QuoteOpensCompressedStream(s)) return false;
        var probe = new ProbeVisitor(probing, visitor.MinInterestingLength, Limits.MaxDepth);
        var probeBudget = new Budget { Remaining = budget.Remaining };
        var runs = RentRuns();
        try
        {
            Base64Decoder.FindAlphabetRuns(s, Math.Min(Limits.MinBase64Run, Limits.MinHexRun), runs);
            if (probing.Matches(new PayloadNode(data, path, runs))) return false;
            foreach (var run in runs)
                if (probing.WalkRunForReal(path, run.Length)) return false;
            if (unescaped is not { } text) return ProbeRuns(data, runs, path, probe, probeBudget, default);
            // Strings with "\/" are seen by the real walk with the escapes undone: probe that text as well. Its runs
            // are the document's, except where a backslash was: only runs next to one need a walk of their own.
            if (!ProbeRuns(data, runs, path, probe, probeBudget, s)) return false;
            var unescapedRuns = RentRuns();
            try
            {
                Base64Decoder.FindAlphabetRuns(text.Span, Math.Min(Limits.MinBase64Run, Limits.MinHexRun), unescapedRuns);
                if (probing.Matches(new PayloadNode(text, path, unescapedRuns))) return false;
                return ProbeRuns(text, unescapedRuns, path, probe, probeBudget, default);
            }
            finally
            {
                ReturnRuns(unescapedRuns);
            }
        }
        finally
        {
            ReturnRuns(runs);
        }
    }

    /// <summary>
    /// Walks the runs with the probe; false as soon as it finds something or cannot vouch for its answer.
    /// With <paramref name="onlyNextToBackslash"/> (the text the runs are in), only runs that touch a backslash.
    /// </summary>
    private bool ProbeRuns(ReadOnlyMemory<byte> data, List<EncodedRun> runs, DecodePath path, ProbeVisitor probe, Budget probeBudget, ReadOnlySpan<byte> onlyNextToBackslash)
    {
        foreach (var region in runs)
        {
            if (!onlyNextToBackslash.IsEmpty)
            {
                var end = region.Start + region.Length;
                var touches = region.Start > 0 && onlyNextToBackslash[region.Start - 1] == (byte)'\\'
                              || end < onlyNextToBackslash.Length && onlyNextToBackslash[end] == (byte)'\\';
                if (!touches) continue;
            }
            WalkBase64Runs(data.Slice(region.Start, region.Length), path, probe, probeBudget);
            WalkHexRuns(data.Slice(region.Start, region.Length), path, probe, probeBudget);
            if (probe.Found || probe.Uncertain || probeBudget.Constrained) return false;
        }
        return true;
    }

    /// <summary>
    /// <paramref name="s"/> with its backslashes dropped, if every one of them escapes a slash (the only escape JSON
    /// writers commonly add to URLs); false, with nothing to return, otherwise.
    /// </summary>
    private static bool TryUndoSlashEscapes(ReadOnlySpan<byte> s, int firstBackslash, out RentedBytes unescaped)
    {
        unescaped = new RentedBytes(s.Length);
        var rest = s;
        for (var next = firstBackslash; next >= 0; next = rest.IndexOf((byte)'\\'))
        {
            if (next + 1 >= rest.Length || rest[next + 1] != (byte)'/')
            {
                unescaped.Return();
                return false;
            }
            unescaped.Append(rest[..next]);
            rest = rest[(next + 1)..];
        }
        unescaped.Append(rest);
        return true;
    }

    /// <summary>Whether the bytes after some quote start a gzip, zstd or zlib stream (as a string value may).</summary>
    internal static bool QuoteOpensCompressedStream(ReadOnlySpan<byte> s)
    {
        // Vector filter first: a quote followed by a byte that can start a magic number (zlib's first byte has 8 as
        // its low nibble; gzip's is 0x1f, zstd's 0x28). Only those positions get the full check.
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var quote = Vector256.Create((byte)'"');
            var lowNibble = Vector256.Create((byte)0x0f);
            var eight = Vector256.Create((byte)8);
            var gzip = Vector256.Create((byte)0x1f);
            var zstd = Vector256.Create((byte)0x28);
            ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(s);
            for (; i + 33 <= s.Length; i += 32)
            {
                var at = Vector256.LoadUnsafe(ref start, (nuint)i);
                var after = Vector256.LoadUnsafe(ref start, (nuint)i + 1);
                var candidates = Vector256.Equals(at, quote)
                                 & (Vector256.Equals(after & lowNibble, eight)
                                    | Vector256.Equals(after, gzip) | Vector256.Equals(after, zstd));
                for (var mask = candidates.ExtractMostSignificantBits(); mask != 0; mask &= mask - 1)
                    if (HasMagic(s[(i + System.Numerics.BitOperations.TrailingZeroCount(mask) + 1)..])) return true;
            }
        }
        for (; i + 1 < s.Length; i++)
            if (s[i] == (byte)'"' && HasMagic(s[(i + 1)..])) return true;
        return false;
    }

    /// <summary>
    /// The registered decoders whose work the document probe (<see cref="NothingBelowDocument"/>) reproduces: JSON
    /// itself, its "\/" escape (any other escape makes the probe give up), the base64 and hex runs it walks, and the
    /// compressed streams it looks for after each quote. Every other registered decoder blocks the probe wherever
    /// one of its triggers appears.
    /// </summary>
    internal static readonly IReadOnlySet<string> FastPathReproduces = new HashSet<string>(StringComparer.Ordinal)
    {
        "json", DecodeSteps.JsonString.Decoder, DecodeSteps.Base64.Decoder, DecodeSteps.Base64Url.Decoder, DecodeSteps.Hex.Decoder,
        DecodeSteps.Gzip.Decoder, DecodeSteps.Zstd.Decoder, DecodeSteps.Zlib.Decoder,
    };

    private static IEnumerable<DecoderTriggers> NotReproduced =>
        DecoderRegistry.All.Where(d => !FastPathReproduces.Contains(d.Name)).Select(d => d.Triggers);

    /// <summary>
    /// Bytes that bring in a decoder the probe does not reproduce, derived from the registry: each such decoder's
    /// trigger bytes, alphabet and the first byte of its magic numbers, and control bytes when it runs on binary.
    /// </summary>
    internal static readonly byte[] FastPathBlockerBytes = NotReproduced
        .SelectMany(t => t.Bytes
            .Concat(t.Alphabet?.Select(c => (byte)c) ?? [])
            .Concat(t.MagicNumbers.Select(m => m[0]))
            .Concat(t.Binary ? BinaryMarkers : []))
        .Distinct().Order().ToArray();

    private static readonly System.Buffers.SearchValues<byte> FastPathBlockers = System.Buffers.SearchValues.Create(FastPathBlockerBytes);

    private static readonly string[] FastPathContentTypes = NotReproduced.SelectMany(t => t.ContentTypes).Distinct().ToArray();

    private static readonly string[] FastPathParents = NotReproduced.SelectMany(t => t.Parents).Distinct().ToArray();

    private static readonly byte[][] FastPathFieldNames = NotReproduced.SelectMany(t => t.FieldNames).Distinct().Select(System.Text.Encoding.UTF8.GetBytes).ToArray();

    // What makes a string look binary to the walker (and so gets the schema-less decoders tried on it).
    private static IEnumerable<byte> BinaryMarkers => [0x7f, .. Enumerable.Range(0, 0x20).Where(b => b is not (9 or 10 or 13)).Select(b => (byte)b)];

    private bool TryMagicDecompression(ReadOnlyMemory<byte> data, DecodePath path, IPayloadVisitor visitor, Budget budget)
    {
        var s = data.Span;
        DecodeStep step;
        CompressionDecoder.Format format;
        if (CompressionDecoder.IsGzip(s)) (step, format) = (DecodeSteps.Gzip, CompressionDecoder.Format.Gzip);
        else if (CompressionDecoder.IsZstd(s)) (step, format) = (DecodeSteps.Zstd, CompressionDecoder.Format.Zstd);
        else if (CompressionDecoder.IsZlib(s)) (step, format) = (DecodeSteps.Zlib, CompressionDecoder.Format.Zlib);
        else return false;
        var cap = budget.Cap(Limits.MaxDecodedBytesPerStep);
        if (cap <= 0) return false;
        if (CompressionDecoder.Rented(format, data, cap, out _) is not { } output) return false;
        try
        {
            budget.Take(output.Length);
            WalkNode(output.Memory, path.Then(step), null, true, visitor, budget);
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
            WalkNode(brotli, path.Then(DecodeSteps.Brotli), null, true, visitor, budget);
            return;
        }
        if (!CompressionDecoder.RawDeflateProbe(probe)) return;
        var deflate = CompressionDecoder.RawDeflate(data, cap, out var deflateComplete);
        if (deflate is not null && deflateComplete && budget.Take(deflate.Length))
            WalkNode(deflate, path.Then(DecodeSteps.Deflate), null, true, visitor, budget);
    }

    /// <param name="data">One run of base64 alphabet (as found by <see cref="Base64Decoder.FindAlphabetRuns"/>).</param>
    private void WalkBase64Runs(ReadOnlyMemory<byte> data, DecodePath path, IPayloadVisitor visitor, Budget budget)
    {
        // Base64Decoder.FindRuns on a single alphabet run: the run itself if long enough and of both cases.
        var span = data.Span;
        if (span.Length < Limits.MinBase64Run || span.IndexOfAnyInRange((byte)'A', (byte)'Z') < 0 || span.IndexOfAnyInRange((byte)'a', (byte)'z') < 0) return;
        var run = new EncodedRun(0, span.Length, span.IndexOfAny((byte)'-', (byte)'_') >= 0);
        var step = run.UrlSafe ? DecodeSteps.Base64Url : DecodeSteps.Base64;
        for (var offset = 0; offset < 4 && run.Length - offset >= Limits.MinBase64Run; offset++)
        {
            var decoded = new RentedBytes((run.Length - offset) * 3 / 4);
            try
            {
                decoded.Length = Base64Decoder.DecodeInto(data.Span.Slice(run.Start + offset, run.Length - offset), decoded.Array);
                if (decoded.Length < 4 || !budget.Take(decoded.Length)) continue;
                var child = path.Then(step);
                var bytes = decoded.Memory;
                var aligned = offset == 0 && run.Length % 4 != 1;
                var magic = offset > 0 ? MagicWithin(bytes.Span, 3) : -1;
                if (offset > 0 && magic < 0 && !IsMostlyPrintable(bytes.Span))
                {
                    // A shifted decode of real data is noise unless it reveals text or a compressed stream; scanning
                    // it for canaries is enough, walking it for further encodings is not worth its cost.
                    visitor.Visit(new PayloadNode(bytes, child, Shifted: true));
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
                if (length / 2 < visitor.MinInterestingLength)
                {
                    // Too short to hold anything (the walk of it would return at once): only the budget is charged.
                    if (!budget.Take(length / 2))
                    {
                        exhausted = true;
                        break;
                    }
                    if (offset == 0 && run.Length % 2 == 0) break;
                    continue;
                }
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
                    WalkNode(decoded.Memory, path.Then(DecodeSteps.Hex), null, false, visitor, budget);
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

    private readonly HtmlReferenceCache _htmlReferences = new();

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
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(sample);
            for (; i + 32 <= sample.Length; i += 32)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                if (Vector256.EqualsAny(v, Vector256<byte>.Zero)) return false;
                var controls = Vector256.LessThan(v, Vector256.Create((byte)0x20))
                               & ~(Vector256.Equals(v, Vector256.Create((byte)9)) | Vector256.Equals(v, Vector256.Create((byte)10)) | Vector256.Equals(v, Vector256.Create((byte)13)))
                               | Vector256.Equals(v, Vector256.Create((byte)0x7f));
                control += System.Numerics.BitOperations.PopCount(controls.ExtractMostSignificantBits());
            }
            if (i < sample.Length && sample.Length >= 32)
            {
                // The last 32 bytes, overlapping what was counted: only the lanes past it count.
                var v = Vector256.LoadUnsafe(ref start, (nuint)(sample.Length - 32));
                var fresh = uint.MaxValue << (32 - (sample.Length - i));
                if ((Vector256.Equals(v, Vector256<byte>.Zero).ExtractMostSignificantBits() & fresh) != 0) return false;
                var controls = Vector256.LessThan(v, Vector256.Create((byte)0x20))
                               & ~(Vector256.Equals(v, Vector256.Create((byte)9)) | Vector256.Equals(v, Vector256.Create((byte)10)) | Vector256.Equals(v, Vector256.Create((byte)13)))
                               | Vector256.Equals(v, Vector256.Create((byte)0x7f));
                control += System.Numerics.BitOperations.PopCount(controls.ExtractMostSignificantBits() & fresh);
                i = sample.Length;
            }
        }
        for (; i < sample.Length; i++)
        {
            var b = sample[i];
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

        /// <summary>Whether the budget ever limited a decoder (refused a payload or capped an output below the step cap).</summary>
        public bool Constrained { get; private set; }

        public bool Take(long n)
        {
            if (n > Remaining)
            {
                Constrained = true;
                return false;
            }
            Remaining -= n;
            return true;
        }

        public int Cap(int perStep)
        {
            if (Remaining < perStep) Constrained = true;
            return (int)Math.Min(perStep, Remaining);
        }
    }
}
