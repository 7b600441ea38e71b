using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Harness.Flows;

namespace Harness.Leaks.Tests;

/// <summary>
/// The second round of throughput shortcuts: run finding on 64-byte masks, the two-byte start filter of the matcher,
/// the JSON document probe (a document is parsed and its strings walked only when a cheap pass says something could
/// be found), pooled text decoders, the digest table. Each is checked against the plain algorithm or against the
/// walk without the shortcut, and end to end on canaries that only the skipped work would reveal.
/// </summary>
public sealed class ScanShortcutTests
{
    private readonly ScanFixture _f = new();

    [Test]
    public void Run_finders_agree_with_a_byte_scan_on_long_runs_across_block_boundaries()
    {
        var random = new Random(21);
        var pieces = new[] { "QUJDRE", "deadbeef", "0123456789", "+/-_", "xyz", " ", "\"", "\0", "é", "=", "\n" };
        for (var round = 0; round < 400; round++)
        {
            // Runs from a few bytes to a few hundred, so they start, end and continue at every offset of a 64-byte block.
            var sb = new StringBuilder();
            var target = random.Next(0, 700);
            while (sb.Length < target)
            {
                var piece = pieces[random.Next(pieces.Length)];
                for (var k = random.Next(1, piece.Length < 3 ? 3 : 40); k > 0; k--) sb.Append(piece);
            }
            var s = Encoding.UTF8.GetBytes(sb.ToString());
            foreach (var min in new[] { 1, 2, 16, 22, 63, 64, 65, 130 })
            {
                var runs = new List<EncodedRun>();
                Base64Decoder.FindAlphabetRuns(s, min, runs);
                Assert.That(runs, Is.EqualTo(NaiveRuns(s, min, Base64Decoder.IsAlphabet)), $"alphabet runs, round {round}, min {min}");
                var hex = new List<EncodedRun>();
                AlphabetRunFinder.Find(s, min, hex: true, hex);
                Assert.That(hex, Is.EqualTo(NaiveRuns(s, min, PercentDecoder.IsHex)), $"hex digit runs, round {round}, min {min}");
            }
        }
    }

    [Test]
    public void Matcher_with_the_start_filter_finds_what_a_naive_search_finds()
    {
        var random = new Random(23);
        // Four distinct first-byte pairs (the filter's limit), letters in both cases, and a non-letter start.
        var patterns = new[] { "zqabc", "ZQxyz12", "https://zq", "ht%3A", "%41zq", "zqab" }.Select(Encoding.ASCII.GetBytes).ToList();
        var matcher = new AhoCorasickMatcher(patterns);
        var alphabet = "zZqQhHtTaAbBcC%4134:/ xyz12\u0005E"u8.ToArray();
        for (var round = 0; round < 300; round++)
        {
            var text = new byte[random.Next(0, 200)];
            for (var i = 0; i < text.Length; i++) text[i] = alphabet[random.Next(alphabet.Length)];
            foreach (var planted in new[] { "ZqAbC", "HTTPS://ZQ", "%41ZQ", "hT%3a" })
                if (text.Length > 20 && random.Next(2) == 0) Encoding.ASCII.GetBytes(planted).CopyTo(text, random.Next(text.Length - 12));
            var hits = new List<PatternHit>();
            matcher.Search(text, hits);
            Assert.That(hits.OrderBy(h => h.Start).ThenBy(h => h.Pattern), Is.EqualTo(NaiveMatches(patterns, text)), $"round {round}");
        }
    }

    [Test]
    public void Matcher_with_more_start_pairs_than_the_filter_takes_still_finds_everything()
    {
        var patterns = new[] { "ab1", "cd2", "ef3", "gh4", "ij5" }.Select(Encoding.ASCII.GetBytes).ToList();
        var matcher = new AhoCorasickMatcher(patterns);
        var text = Encoding.ASCII.GetBytes(new string('.', 40) + "AB1..cd2..EF3..gh4..Ij5" + new string('.', 40));
        var hits = new List<PatternHit>();
        matcher.Search(text, hits);
        Assert.That(hits.OrderBy(h => h.Start).ThenBy(h => h.Pattern), Is.EqualTo(NaiveMatches(patterns, text)));
        Assert.That(hits, Has.Count.EqualTo(5));
    }

    [Test]
    public void Json_documents_give_the_same_hits_with_and_without_the_probe()
    {
        var patterns = _f.Scanner.PatternsFor(_f.Canaries);
        var random = new Random(29);
        var ruledOut = 0;
        for (var round = 0; round < 400; round++)
        {
            var (document, planted) = RandomDocument(random);
            var probing = new CanaryHitCollector(patterns);
            var plain = new NonProbingVisitor(new CanaryHitCollector(patterns));
            new PayloadWalker(ScanLimits.Default).Walk(document, DecodePath.Root("body"), "application/json", probing);
            new PayloadWalker(ScanLimits.Default).Walk(document, DecodePath.Root("body"), "application/json", plain);
            var expected = plain.Inner.Hits.Select(Describe).ToList();
            Assert.That(probing.Hits.Select(Describe), Is.EqualTo(expected), () => $"round {round} ({planted}): {Encoding.UTF8.GetString(document)[..Math.Min(300, document.Length)]}");
            if (planted != "nothing") Assert.That(expected, Is.Not.Empty, $"round {round}: {planted} was planted");
            if (planted == "nothing" && probing.Visits == 0) ruledOut++;
        }
        // The probe must actually rule documents out, or the test above compared the slow path with itself.
        Assert.That(ruledOut, Is.GreaterThan(50));
    }

    [Test]
    public void A_clean_document_without_canaries_is_ruled_out_without_visiting_it()
    {
        var patterns = _f.Scanner.PatternsFor(_f.Canaries);
        var document = Encoding.UTF8.GetBytes("{\"items\":[{\"token\":\"" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)) + "\",\"url\":\"https:\\/\\/www.example.com\\/news\"}]}");
        var collector = new CanaryHitCollector(patterns);
        new PayloadWalker(ScanLimits.Default).Walk(document, DecodePath.Root("body"), "application/json", collector);
        Assert.That(collector.Visits, Is.Zero);
        Assert.That(collector.Hits, Is.Empty);
    }

    [Test]
    public void Hex_encoded_canary_in_a_gzip_encoded_feed_is_found_with_its_json_path()
    {
        var random = new Random(31);
        var items = Enumerable.Range(0, 300).Select(i =>
        {
            var token = i == 211 ? Convert.ToHexStringLower(Encoding.UTF8.GetBytes(_f.Title)) : Convert.ToHexStringLower(RandomBytes(random, 24));
            return $"{{\"id\":{i},\"title\":\"weather news\",\"url\":\"https://www.example.com/{i}\",\"token\":\"{token}\"}}";
        });
        var raw = Gzip(Encoding.UTF8.GetBytes("{\"status\":\"ok\",\"items\":[" + string.Join(",", items) + "]}"));
        var flow = TestFlows.Get("https://api.example-news.com/feed");
        flow.ResponseBody = new FlowBody { Raw = raw, Size = raw.Length, ContentEncoding = "gzip", ContentType = "application/json" };
        var result = _f.Scan(new ScanRequest { Canaries = _f.Canaries, ScanResponseBodies = true }, flow);
        var finding = ScanFixture.Single(result, CanaryKind.Title);
        Assert.That(finding.Location, Is.EqualTo("response body > content-encoding:gzip > json $.items[211].token > hex"));
        Assert.That(finding.DecodeChain, Is.EqualTo(new[] { "gzip", "json", "hex" }));
        Assert.That(result.Findings, Has.Count.EqualTo(1));
    }

    [Test]
    public void Slash_escaped_url_in_a_sensors_post_is_found_with_its_json_path()
    {
        // A URL canary with no token parts, escaped "\/" only in places: neither the document nor its runs show it,
        // only the text with the escapes undone, as the JSON reader gives the string.
        const string url = "https://news.example.org/private/page-7";
        var canaries = new CanarySet([new Canary(CanaryKind.Url, url)]);
        var events = SensorsBody.Events("PLACEHOLDER").Replace("PLACEHOLDER", "https:\\/\\/news.example.org/private\\/page-7");
        var result = new CanaryScanner().Scan([TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(events))], new ScanRequest { Canaries = canaries });
        var finding = ScanFixture.Single(result, CanaryKind.Url);
        Assert.That(finding.Location, Is.EqualTo("body > sensors data_list gzip=1 crc ok > base64 > gzip > event[3] page_load_event_finish > json $.properties.url"));
        Assert.That(finding.DecodeChain, Is.EqualTo(new[] { "sensors", "base64", "gzip", "sensors-event", "json" }));
    }

    [Test]
    public void A_quote_followed_by_a_magic_number_is_noticed_wherever_it_is()
    {
        var random = new Random(53);
        var pieces = new[] { "\"", "x^", "hC", "8O", "(", "h", "x", "ab", " ", "\u001f\u008b\u0008", "(\u00b5/\u00fd", "x\u009c" };
        for (var round = 0; round < 2000; round++)
        {
            var sb = new StringBuilder();
            for (var k = random.Next(0, 40); k > 0; k--) sb.Append(pieces[random.Next(pieces.Length)]);
            var s = Encoding.Latin1.GetBytes(sb.ToString());
            var expected = Enumerable.Range(0, s.Length).Any(i => s[i] == '"' && i + 1 < s.Length
                && (CompressionDecoder.IsGzip(s.AsSpan(i + 1)) || CompressionDecoder.IsZstd(s.AsSpan(i + 1)) || CompressionDecoder.IsZlib(s.AsSpan(i + 1))));
            Assert.That(PayloadWalker.QuoteOpensCompressedStream(s), Is.EqualTo(expected), sb.ToString());
        }
    }

    [Test]
    public void Canary_in_gzip_in_base64_inside_a_clean_document_is_found()
    {
        var inner = Convert.ToBase64String(Gzip(Encoding.UTF8.GetBytes($"{{\"q\":\"{_f.Query}\"}}")));
        var document = $"{{\"a\":[{{\"b\":\"weather\"}},{{\"payload\":\"{inner.TrimEnd('=')}\",\"n\":12}}]}}";
        var finding = ScanFixture.Single(_f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, document, "application/json")), CanaryKind.Query);
        Assert.That(finding.Location, Is.EqualTo("body > json $.a[1].payload > base64 > gzip > json $.q"));
    }

    [TestCase("md5")]
    [TestCase("sha256")]
    public void Digests_in_a_clean_document_are_found_in_any_hex_case_but_base64_only_in_its_own(string algorithm)
    {
        var bytes = Encoding.UTF8.GetBytes(_f.Path);
        var digest = algorithm == "md5" ? MD5.HashData(bytes) : SHA256.HashData(bytes);
        var base64 = Convert.ToBase64String(digest).TrimEnd('=');
        foreach (var form in new[] { Convert.ToHexStringLower(digest), Convert.ToHexString(digest), base64 })
        {
            var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, $"{{\"x\":\"weather\",\"h\":\"{form}\"}}", "application/json"));
            Assert.That(ScanFixture.Single(result, CanaryKind.Path).DecodeChain, Is.EqualTo(new[] { "json", algorithm }), form);
        }
        var swapped = new string(base64.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)).ToArray());
        var none = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, $"{{\"h\":\"{swapped}\"}}", "application/json"));
        Assert.That(none.Findings.Where(f => f.CanaryKind == CanaryKind.Path), Is.Empty);
    }

    [Test]
    public void Html_references_decode_the_same_through_the_reference_cache()
    {
        var random = new Random(37);
        var pieces = new[] { "&amp;", "&lt;", "&#122;", "&#x7a;", "&#xD800;", "&mdash;", "&nope;", "&", ";", "&amp", "a", " ", "中文", "&AMP;", "&#;", "&verylongname;" };
        var cache = new HtmlReferenceCache();
        for (var round = 0; round < 500; round++)
        {
            var sb = new StringBuilder();
            for (var k = random.Next(0, 14); k > 0; k--) sb.Append(pieces[random.Next(pieces.Length)]);
            var bytes = Encoding.UTF8.GetBytes(sb.ToString());
            var decoded = HtmlEntityDecoder.DecodeRented(bytes, validUtf8: true, cache);
            Assert.That(decoded.Memory.ToArray(), Is.EqualTo(Encoding.UTF8.GetBytes(System.Net.WebUtility.HtmlDecode(sb.ToString()))), sb.ToString());
            decoded.Return();
        }
    }

    [Test]
    public void Text_test_agrees_with_a_byte_loop()
    {
        var random = new Random(41);
        for (var round = 0; round < 2000; round++)
        {
            var data = new byte[random.Next(0, 700)];
            var binaryShare = random.NextDouble() * 0.15;
            for (var i = 0; i < data.Length; i++)
                data[i] = random.NextDouble() < binaryShare ? (byte)random.Next(0, 0x20) : (byte)"ab \t\n\r~}Z0\u007f"[random.Next(11)];
            var sample = data.AsSpan(0, Math.Min(512, data.Length)).ToArray();
            var control = sample.Count(b => b < 0x20 && b is not (9 or 10 or 13) || b == 0x7f);
            var expected = !sample.Contains((byte)0) && (control * 20 < sample.Length || control == 0);
            Assert.That(PayloadWalker.LooksText(data), Is.EqualTo(expected), $"round {round}");
        }
    }

    [Test]
    public void Hex_decoding_reads_both_cases()
    {
        var bytes = RandomBytes(new Random(43), 300);
        foreach (var hex in new[] { Convert.ToHexStringLower(bytes), Convert.ToHexString(bytes) })
        {
            var output = new byte[150];
            Assert.That(HexDecoder.DecodeInto(Encoding.ASCII.GetBytes(hex[..300]), output), Is.EqualTo(150));
            Assert.That(output, Is.EqualTo(bytes[..150]));
        }
    }

    [Test]
    public void Percent_decoding_matches_the_reference_on_random_escapes()
    {
        var random = new Random(47);
        var pieces = new[] { "%2B", "%2f", "%3D", "+", "%", "%4", "%zz", "abc", "QUJD", " ", "%E4%B8%AD" };
        for (var round = 0; round < 500; round++)
        {
            var sb = new StringBuilder();
            for (var k = random.Next(0, 30); k > 0; k--) sb.Append(pieces[random.Next(pieces.Length)]);
            var bytes = Encoding.ASCII.GetBytes(sb.ToString());
            foreach (var plus in new[] { false, true })
                Assert.That(PercentDecoder.Decode(bytes, plus), Is.EqualTo(ReferencePercentDecode(bytes, plus)), $"{sb} plus={plus}");
        }
    }

    /// <summary>Random JSON documents, most of them clean (no escapes but "\/"), some with a canary in an encoding.</summary>
    private (byte[] Document, string Planted) RandomDocument(Random random)
    {
        var words = new[] { "weather", "news", "中文", "новости", "https://www.example.com/a", "QUJDREVGR0hJSktMTU5PUA", "x^", "hC", "8O", "a=b", "%41", "x&y", "\\/", "<b>", "[1]", "{}" };
        var clean = random.Next(3) > 0;
        // Strings that start like a zlib header send the document down the full walk; only some documents have them.
        var zlibLookalikes = random.Next(4) == 0;
        string Word()
        {
            var w = words[random.Next(words.Length)];
            if (!zlibLookalikes && w is "x^" or "hC" or "8O") return "word";
            return clean && (w.Contains('=') || w.Contains('%') || w.Contains('&')) ? "plain" : w;
        }
        var planted = random.Next(3) == 0 ? "nothing" : new[] { "hex", "base64", "base64-gzip", "slash-url", "plain", "digest", "key", "nested" }[random.Next(8)];
        var canary = _f.Canaries.Canaries[random.Next(_f.Canaries.Canaries.Count)].Value;
        var at = random.Next(20);
        var sb = new StringBuilder("{\"items\":[");
        for (var i = 0; i < 20; i++)
        {
            if (i > 0) sb.Append(',');
            var token = Convert.ToHexStringLower(RandomBytes(random, 8 + random.Next(24)));
            var title = string.Join(' ', Enumerable.Range(0, random.Next(1, 5)).Select(_ => Word()));
            var key = "k";
            if (i == at)
            {
                switch (planted)
                {
                    case "hex": token = Convert.ToHexString(Encoding.UTF8.GetBytes(canary)); break;
                    case "base64": token = Convert.ToBase64String(Encoding.UTF8.GetBytes("ab" + canary)).TrimEnd('='); break;
                    case "base64-gzip": token = Convert.ToBase64String(Gzip(Encoding.UTF8.GetBytes(canary))).TrimEnd('='); break;
                    case "slash-url": title = canary.Replace("/", "\\/").Replace("\\/\\/", "\\//"); break;
                    case "plain": title = "x " + canary; break;
                    case "digest": token = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(canary))); break;
                    case "key": key = canary; break;
                    case "nested": title = "[" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(canary)) + "]"; break;
                }
            }
            sb.Append($"{{\"id\":{random.Next()},\"title\":\"{title}\",\"token\":\"{token}\",\"{key}\":{random.Next(100)}}}");
        }
        sb.Append("]}");
        if (random.Next(8) == 0) sb.Length -= random.Next(1, 6);
        return (Encoding.UTF8.GetBytes(sb.ToString()), planted);
    }

    private static string Describe(CanaryHit hit) => $"{hit.Pattern.Form} {hit.Pattern.Canary.Value} @{hit.Start} {hit.Path.Location} [{string.Join(",", hit.Path.Chain)}] {hit.Excerpt}";

    /// <summary>Forwards to a collector but is not a probing visitor, so the walker takes the path without the probe.</summary>
    private sealed class NonProbingVisitor(CanaryHitCollector inner) : IPayloadVisitor
    {
        public CanaryHitCollector Inner { get; } = inner;
        public bool WantsEveryJsonValue => Inner.WantsEveryJsonValue;
        public int MinInterestingLength => Inner.MinInterestingLength;
        public bool Visit(PayloadNode node) => Inner.Visit(node);
    }

    private static byte[] ReferencePercentDecode(byte[] s, bool plusAsSpace)
    {
        var output = new List<byte>();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && Uri.IsHexDigit((char)s[i + 1]) && Uri.IsHexDigit((char)s[i + 2]))
            {
                output.Add(Convert.ToByte(Encoding.ASCII.GetString(s, i + 1, 2), 16));
                i += 2;
            }
            else output.Add(s[i] == '+' && plusAsSpace ? (byte)' ' : s[i]);
        }
        return [.. output];
    }

    private static List<EncodedRun> NaiveRuns(byte[] s, int min, Func<byte, bool> inRun)
    {
        var runs = new List<EncodedRun>();
        var start = -1;
        for (var i = 0; i <= s.Length; i++)
        {
            if (i < s.Length && inRun(s[i]))
            {
                if (start < 0) start = i;
                continue;
            }
            if (start >= 0 && i - start >= Math.Max(1, min)) runs.Add(new EncodedRun(start, i - start, false));
            start = -1;
        }
        return runs;
    }

    private static List<PatternHit> NaiveMatches(List<byte[]> patterns, byte[] text)
    {
        var hits = new List<PatternHit>();
        for (var start = 0; start < text.Length; start++)
            for (var p = 0; p < patterns.Count; p++)
                if (start + patterns[p].Length <= text.Length
                    && Encoding.Latin1.GetString(text, start, patterns[p].Length).Equals(Encoding.Latin1.GetString(patterns[p]), StringComparison.OrdinalIgnoreCase))
                    hits.Add(new PatternHit(p, start));
        return hits.OrderBy(h => h.Start).ThenBy(h => h.Pattern).ToList();
    }

    private static byte[] RandomBytes(Random random, int n)
    {
        var b = new byte[n];
        random.NextBytes(b);
        return b;
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest)) gz.Write(data);
        return output.ToArray();
    }
}
