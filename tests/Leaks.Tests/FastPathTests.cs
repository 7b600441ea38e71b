using System.IO.Compression;
using System.Text;
using Harness.Flows;

namespace Harness.Leaks.Tests;

/// <summary>
/// The throughput shortcuts (matcher jumping to a pattern's first byte, probing run finders, pooled decode buffers)
/// must give the same answers as the plain algorithms: checked against naive versions on random inputs, and end to
/// end on nestings that go through every pooled decoder.
/// </summary>
public sealed class FastPathTests
{
    private readonly ScanFixture _f = new();

    [Test]
    public void Matcher_finds_the_same_occurrences_as_a_naive_search_whatever_the_case_of_first_bytes()
    {
        var random = new Random(7);
        // Few distinct first bytes (the jump is used), in both cases, plus overlapping and nested patterns.
        var patterns = new[] { "Redmi Note 8", "zqabc", "ZQabcdef", "bcd", "a1b2c3", "r" }.Select(Encoding.ASCII.GetBytes).ToList();
        var matcher = new AhoCorasickMatcher(patterns);
        var alphabet = "zZqQaAbBcCdDrReEmMiI 18N2o3t"u8.ToArray();
        for (var round = 0; round < 200; round++)
        {
            var text = new byte[random.Next(0, 300)];
            for (var i = 0; i < text.Length; i++) text[i] = alphabet[random.Next(alphabet.Length)];
            if (round % 3 == 0 && text.Length > 20) "ZqAbCdEf"u8.CopyTo(text.AsSpan(random.Next(text.Length - 10)));
            var hits = new List<PatternHit>();
            matcher.Search(text, hits);
            Assert.That(hits.OrderBy(h => h.Start).ThenBy(h => h.Pattern), Is.EqualTo(Naive(patterns, text)), $"round {round}");
        }
    }

    [Test]
    public void Matcher_without_a_jump_still_finds_everything()
    {
        // More than eight distinct first bytes: the matcher walks every byte.
        var patterns = "abcdefghijk".Select(c => Encoding.ASCII.GetBytes(c + "xy")).ToList();
        var matcher = new AhoCorasickMatcher(patterns);
        var text = Encoding.ASCII.GetBytes("..AXY..kxy..bxyz..xy");
        var hits = new List<PatternHit>();
        matcher.Search(text, hits);
        Assert.That(hits.OrderBy(h => h.Start).ThenBy(h => h.Pattern), Is.EqualTo(Naive(patterns, text)));
        Assert.That(hits, Has.Count.EqualTo(3));
    }

    [Test]
    public void Run_finders_give_the_runs_a_byte_by_byte_scan_gives()
    {
        var random = new Random(11);
        var pieces = new[] { "deadbeef", "0123456789", "ABCDEF", "xyzXYZ", "+/-_", " ", "\"", "\0", "é", "=", "g", "QUJD" };
        for (var round = 0; round < 300; round++)
        {
            var sb = new StringBuilder();
            while (sb.Length < random.Next(0, 200)) sb.Append(pieces[random.Next(pieces.Length)]);
            var s = Encoding.UTF8.GetBytes(sb.ToString());
            foreach (var min in new[] { 1, 4, 16, 22 })
            {
                var runs = new List<EncodedRun>();
                Base64Decoder.FindAlphabetRuns(s, min, runs);
                Assert.That(runs, Is.EqualTo(NaiveRuns(s, min, Base64Decoder.IsAlphabet, _ => true)), $"alphabet runs, round {round}, min {min}");
                var base64 = new List<EncodedRun>();
                Base64Decoder.FindRuns(s, min, base64);
                var expected = NaiveRuns(s, min, Base64Decoder.IsAlphabet, r => r.IndexOfAnyInRange((byte)'A', (byte)'Z') >= 0 && r.IndexOfAnyInRange((byte)'a', (byte)'z') >= 0)
                    .Select(r => r with { UrlSafe = s.AsSpan(r.Start, r.Length).IndexOfAny((byte)'-', (byte)'_') >= 0 }).ToList();
                Assert.That(base64, Is.EqualTo(expected), $"base64 runs, round {round}, min {min}");
                var hex = new List<EncodedRun>();
                HexDecoder.FindRuns(s, min, hex);
                Assert.That(hex, Is.EqualTo(NaiveRuns(s, min, PercentDecoder.IsHex, r => r.Length >= 24 || r.IndexOfAnyInRange((byte)'a', (byte)'f') >= 0 || r.IndexOfAnyInRange((byte)'A', (byte)'F') >= 0)), $"hex runs, round {round}, min {min}");
            }
        }
    }

    [Test]
    public void Canary_inside_gzip_inside_base64_inside_html_is_found_through_the_pooled_buffers()
    {
        var json = Encoding.UTF8.GetBytes($"{{\"events\":[{{\"url\":\"{_f.Url.Replace("/", "\\/")}\"}}]}}");
        var blob = Convert.ToBase64String(Gzip(json));
        var html = $"<html><body><p>Fish &amp; chips</p><script>var q=\"{blob}\";</script></body></html>";
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, html, "text/html"));
        // The page is walked as it is and entity-decoded, so the blob is reached both ways; either way counts.
        var findings = result.Findings.Where(f => f.CanaryKind == CanaryKind.Url).ToList();
        Assert.That(findings, Is.Not.Empty);
        Assert.That(findings.Select(f => string.Join(",", f.DecodeChain.Skip(f.DecodeChain.Count - 3))), Has.All.EqualTo("base64,gzip,json"));
        Assert.That(findings.Select(f => f.Excerpt), Has.All.Contain(_f.Url));
    }

    [Test]
    public void Canary_in_base64_glued_to_other_alphabet_characters_is_found_at_every_offset()
    {
        // The run's first characters are not part of the encoding: the shifted decodes must still be scanned.
        foreach (var prefix in new[] { "", "x", "xy", "xyz" })
        {
            var random = new byte[48];
            new Random(prefix.Length).NextBytes(random);
            var payload = random.Concat(Encoding.ASCII.GetBytes(_f.Title)).Concat(random).ToArray();
            var body = $"{{\"v\":\"{prefix}{Convert.ToBase64String(payload)}\"}}";
            var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, body, "application/json"));
            Assert.That(ScanFixture.Single(result, CanaryKind.Title).DecodeChain, Is.EqualTo(new[] { "json", "base64" }), $"prefix '{prefix}'");
        }
    }

    [TestCase("gzip")]
    [TestCase("deflate")]
    [TestCase("zstd")]
    public void Content_encoded_bodies_are_scanned_decoded(string encoding)
    {
        var plain = Encoding.UTF8.GetBytes($"{{\"q\":\"{_f.Query}\",\"pad\":\"{new string('a', 5000)}\"}}");
        byte[] raw = encoding switch
        {
            "gzip" => Gzip(plain),
            "deflate" => Zlib(plain),
            _ => new ZstdSharp.Compressor().Wrap(plain).ToArray(),
        };
        var flow = TestFlows.Post(ScanFixture.SensorsUrl, raw, "application/json");
        flow.RequestBody!.ContentEncoding = encoding;
        var finding = ScanFixture.Single(_f.Scan(flow), CanaryKind.Query);
        Assert.That(finding.Location, Is.EqualTo($"body > content-encoding:{encoding} > json $.q"));
    }

    [Test]
    public void Hex_of_a_canary_among_many_hex_ids_is_found_and_the_ids_are_not()
    {
        var random = new Random(3);
        var items = Enumerable.Range(0, 200).Select(i => $"{{\"id\":\"{Convert.ToHexStringLower(RandomBytes(random, 24))}\"}}").ToList();
        items.Insert(137, $"{{\"id\":\"{Convert.ToHexString(Encoding.ASCII.GetBytes(_f.Path))}\"}}");
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, Gzip(Encoding.UTF8.GetBytes("[" + string.Join(",", items) + "]")), "application/octet-stream"));
        var finding = ScanFixture.Single(result, CanaryKind.Path);
        Assert.That(finding.Location, Is.EqualTo("body > gzip > json $[137].id > hex"));
        Assert.That(result.Findings, Has.Count.EqualTo(1));
    }

    [Test]
    public void Html_entities_decode_as_WebUtility_does_on_the_whole_text()
    {
        var random = new Random(5);
        var pieces = new[] { "&amp;", "&lt;", "&#122;", "&#x7a;", "&#xD800;", "&#128512;", "&nope;", "&", ";", "&amp", "a", " ", "中文", "&mdash;", "&AMP;", "#", "&#;" };
        for (var round = 0; round < 500; round++)
        {
            var sb = new StringBuilder();
            for (var k = random.Next(0, 12); k > 0; k--) sb.Append(pieces[random.Next(pieces.Length)]);
            var bytes = Encoding.UTF8.GetBytes(sb.ToString());
            var expected = Encoding.UTF8.GetBytes(System.Net.WebUtility.HtmlDecode(sb.ToString()));
            Assert.That(HtmlEntityDecoder.Decode(bytes), Is.EqualTo(expected), sb.ToString());
        }
        byte[] invalid = [(byte)'&', (byte)'l', (byte)'t', (byte)';', 0xff, (byte)'x'];
        Assert.That(HtmlEntityDecoder.Decode(invalid), Is.EqualTo(Encoding.UTF8.GetBytes("<\uFFFDx")));
    }

    [Test]
    public void Json_escapes_decode_as_system_text_json_unescapes_them()
    {
        // Valid JSON string content, so System.Text.Json (an independent decoder) is the reference; the byte-level
        // path and its whole-string fallback (surrogate pairs, invalid UTF-8) are both reached.
        var random = new Random(9);
        var pieces = new[] { "\\/", "\\u007a", "\\u00e9", "\\u4e2D", "\\ud83d\\ude00", "\\n", "\\t", "\\r", "\\\\", "\\\"", "a", "é", "中", "u", "/", "😀" };
        for (var round = 0; round < 500; round++)
        {
            var sb = new StringBuilder();
            for (var k = random.Next(0, 12); k > 0; k--) sb.Append(pieces[random.Next(pieces.Length)]);
            var text = sb.ToString();
            var reference = System.Text.Json.JsonSerializer.Deserialize<string>("\"" + text + "\"")!;
            Assert.That(Encoding.UTF8.GetString(JsonEscapeDecoder.Decode(Encoding.UTF8.GetBytes(text))), Is.EqualTo(reference), text);
        }
    }

    [TestCase("\\'", "'")]
    [TestCase("a\\x", "a\\x")]
    [TestCase("\\u12", "\\u12")]
    [TestCase("\\u 41 ", "\\u 41 ")]
    [TestCase("end\\", "end\\")]
    public void Escapes_json_does_not_define_are_kept_as_written_except_javascripts_quote(string text, string expected)
    {
        Assert.That(Encoding.UTF8.GetString(JsonEscapeDecoder.Decode(Encoding.UTF8.GetBytes(text))), Is.EqualTo(expected));
    }

    [Test]
    public void Printable_test_agrees_with_counting_every_byte()
    {
        var random = new Random(13);
        for (var round = 0; round < 2000; round++)
        {
            var data = new byte[random.Next(0, 700)];
            // From pure text to pure binary, so the answer flips somewhere around the 90 % threshold.
            var binaryShare = random.NextDouble() * 0.25;
            for (var i = 0; i < data.Length; i++)
                data[i] = random.NextDouble() < binaryShare ? (byte)random.Next(256) : (byte)"ab \t\n\r~}Z0"[random.Next(10)];
            var printable = data.Count(b => b is >= 0x20 and < 0x7f or 9 or 10 or 13);
            Assert.That(PayloadWalker.IsMostlyPrintable(data), Is.EqualTo(printable * 100 >= data.Length * 90), $"round {round}");
        }
    }

    private static byte[] RandomBytes(Random random, int n)
    {
        var b = new byte[n];
        random.NextBytes(b);
        return b;
    }

    private static List<PatternHit> Naive(List<byte[]> patterns, byte[] text)
    {
        var hits = new List<PatternHit>();
        for (var start = 0; start < text.Length; start++)
            for (var p = 0; p < patterns.Count; p++)
                if (start + patterns[p].Length <= text.Length
                    && Encoding.ASCII.GetString(text, start, patterns[p].Length).Equals(Encoding.ASCII.GetString(patterns[p]), StringComparison.OrdinalIgnoreCase))
                    hits.Add(new PatternHit(p, start));
        return hits.OrderBy(h => h.Start).ThenBy(h => h.Pattern).ToList();
    }

    private delegate bool RunFilter(ReadOnlySpan<byte> run);

    private static List<EncodedRun> NaiveRuns(byte[] s, int min, Func<byte, bool> inRun, RunFilter keep)
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
            if (start >= 0 && i - start >= Math.Max(1, min) && keep(s.AsSpan(start, i - start))) runs.Add(new EncodedRun(start, i - start, false));
            start = -1;
        }
        return runs;
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest)) gz.Write(data);
        return output.ToArray();
    }

    private static byte[] Zlib(byte[] data)
    {
        var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Fastest)) z.Write(data);
        return output.ToArray();
    }
}
