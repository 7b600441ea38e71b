using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Harness.Leaks.Tests;

/// <summary>
/// For every decoder of <see cref="DecoderRegistry"/>: random nestings that put a canary under it (other decoders
/// inside and outside, often a JSON document at the top, where the walker's fast path applies) are found by the fast
/// path and by the full walk alike, at the same locations. A decoder registered without an encoder here fails the
/// first test, so a new decoder cannot go untested.
/// </summary>
public sealed class RegistryPropertyTests
{
    private readonly ScanFixture _f = new(seed: 21);

    /// <summary>How to put a payload under one decoder: what the encoding needs and makes, and how many walk steps it costs.</summary>
    private sealed record Encoder(string Name, Func<byte[], Random, byte[]> Encode, bool NeedsText = false, bool Blind = false, bool RootOnly = false, int Steps = 1);

    private const string Boundary = "----harnessBoundary7MA4YWxk";

    private static readonly Dictionary<string, Encoder> Encoders = new Encoder[]
    {
        new("json", (p, r) => Encoding.UTF8.GetBytes($$$"""{"n":{{{r.Next(100)}}},"a":[true,{"k{{{r.Next(9)}}}":{{{JsonSerializer.Serialize(Encoding.UTF8.GetString(p))}}}}],"z":"x"}"""), NeedsText: true),
        new("json-string", (p, _) => Encoding.UTF8.GetBytes(string.Concat(Encoding.UTF8.GetString(p).Select(c => char.IsAsciiLetterOrDigit(c) ? c.ToString() : $"\\u{(int)c:x4}"))), NeedsText: true),
        new("percent", (p, _) => Encoding.ASCII.GetBytes(string.Concat(p.Select(b => $"%{b:X2}"))), NeedsText: true),
        new("html", (p, _) => Encoding.ASCII.GetBytes(string.Concat(Encoding.UTF8.GetString(p).Select(c => $"&#{(int)c};"))), NeedsText: true),
        new("form", (p, r) => Encoding.ASCII.GetBytes($"a={r.Next(10)}&v={Uri.EscapeDataString(Encoding.UTF8.GetString(p))}&z=2"), NeedsText: true),
        new("multipart", (p, _) => [.. Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n"), .. p, .. Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n")], RootOnly: true),
        new("base64", (p, _) => Encoding.ASCII.GetBytes(Convert.ToBase64String(p))),
        new("base64url", (p, _) => Encoding.ASCII.GetBytes(Convert.ToBase64String(p).TrimEnd('=').Replace('+', '-').Replace('/', '_'))),
        new("hex", (p, _) => Encoding.ASCII.GetBytes(Convert.ToHexStringLower(p))),
        new("gzip", (p, _) => Compress(p, s => new GZipStream(s, CompressionLevel.Optimal))),
        new("zlib", (p, _) => Compress(p, s => new ZLibStream(s, CompressionLevel.Optimal))),
        new("zstd", (p, _) => new ZstdSharp.Compressor().Wrap(p).ToArray()),
        new("brotli", (p, _) => Compress(p, s => new BrotliStream(s, CompressionLevel.Optimal)), Blind: true),
        new("deflate", (p, _) => Compress(p, s => new DeflateStream(s, CompressionLevel.Optimal)), Blind: true),
        new("protobuf", (p, r) => [0x08, (byte)r.Next(1, 100), 0x12, .. Varint(p.Length), .. p, 0x18, 0x01], Blind: true),
        // sensors, then its base64 and gzip, its event and the event's JSON: five steps of the walk.
        new("sensors", (p, r) => Encoding.ASCII.GetBytes(SensorsBody.Build($$$"""[{"event":"e{{{r.Next(9)}}}","properties":{"v":{{{JsonSerializer.Serialize(Encoding.UTF8.GetString(p))}}}}}]""")), NeedsText: true, Steps: 5),
    }.ToDictionary(e => e.Name);

    [Test]
    public void Every_registered_decoder_has_an_encoder_here()
    {
        Assert.That(DecoderRegistry.All.Select(d => d.Name), Is.Unique);
        Assert.That(DecoderRegistry.All.Select(d => d.Name), Is.SubsetOf(Encoders.Keys), "register an encoder for the new decoder in this test");
    }

    [TestCase(1515)]
    [TestCase(7)]
    [TestCase(2026)]
    public void Canary_under_any_registered_decoder_is_found_by_the_fast_path_and_the_full_walk_alike(int seed)
    {
        var random = new Random(seed);
        var canaries = new[] { _f.Url, _f.Query, _f.Title };
        var walker = new PayloadWalker(ScanLimits.Default);
        var patterns = _f.Scanner.PatternsFor(_f.Canaries);
        foreach (var target in DecoderRegistry.All)
        {
            for (var round = 0; round < 60; round++)
            {
                var (body, contentType, chain) = Nest(Encoding.UTF8.GetBytes(canaries[random.Next(canaries.Length)]), target.Name, random);
                var fast = new CanaryHitCollector(patterns);
                walker.Walk(body, DecodePath.Root("body"), contentType, fast);
                var full = new CanaryHitCollector(patterns);
                walker.Walk(body, DecodePath.Root("body"), contentType, new FullWalk(full));
                var what = $"{target.Name}, round {round}: {string.Join(" > ", chain)} ({contentType ?? "no content type"})";
                Assert.That(full.Hits, Is.Not.Empty, "the full walk finds it: " + what);
                Assert.That(Describe(fast.Hits), Is.EquivalentTo(Describe(full.Hits)), what);
            }
        }
    }

    [Test]
    public void Fast_path_blockers_come_from_the_triggers_of_the_decoders_it_does_not_reproduce()
    {
        var expected = DecoderRegistry.All.Where(d => !PayloadWalker.FastPathReproduces.Contains(d.Name)).SelectMany(d => d.Triggers.Bytes).ToHashSet();
        Assert.That(PayloadWalker.FastPathBlockerBytes, Is.SupersetOf(expected));
        Assert.That(PayloadWalker.FastPathBlockerBytes, Does.Contain((byte)'%').And.Contain((byte)'&').And.Contain((byte)'=').And.Contain((byte)0));
        Assert.That(PayloadWalker.FastPathReproduces, Is.SubsetOf(DecoderRegistry.All.Select(d => d.Name)), "the fast path names only registered decoders");
    }

    /// <summary>The canary under <paramref name="target"/>, with up to one random decoder on either side and often a JSON document on top.</summary>
    private static (byte[] Body, string? ContentType, List<string> Chain) Nest(byte[] canary, string target, Random random)
    {
        while (true)
        {
            var names = Encoders.Values.Where(e => !e.RootOnly).Select(e => e.Name).ToList();
            var plan = new List<string>();
            if (random.Next(2) == 0) plan.Add(names[random.Next(names.Count)]);
            plan.Add(target);
            if (!Encoders[target].RootOnly && random.Next(2) == 0) plan.Add(names[random.Next(names.Count)]);
            if (!Encoders[plan[^1]].RootOnly && random.Next(3) > 0) plan.Add("json");

            var payload = canary;
            var chain = new List<string>();
            var steps = 0;
            for (var i = 0; i < plan.Count; i++)
            {
                var encoder = Encoders[plan[i]];
                if (encoder.NeedsText && !IsText(payload)) Apply(Encoders["base64"]);
                Apply(encoder);
                // Schema-less decoders are tried only on binary from a base64 run (or an untyped body).
                if (encoder.Blind && i < plan.Count - 1) Apply(Encoders["base64"]);
            }
            // The walk descends at most ScanLimits.MaxDepth steps; a deeper plan is drawn again.
            if (steps > ScanLimits.Default.MaxDepth - 1) continue;
            var contentType = plan[^1] switch
            {
                "json" => "application/json",
                "form" or "sensors" => "application/x-www-form-urlencoded",
                "multipart" => "multipart/form-data; boundary=" + Boundary,
                _ => null,
            };
            return (payload, contentType, chain);

            void Apply(Encoder e)
            {
                payload = e.Encode(payload, random);
                chain.Insert(0, e.Name);
                steps += e.Steps;
            }
        }
    }

    private static bool IsText(byte[] payload) => System.Text.Unicode.Utf8.IsValid(payload) && PayloadWalker.LooksText(payload);

    private static IEnumerable<string> Describe(List<CanaryHit> hits) =>
        hits.Select(h => $"{h.Path.Location} @{h.Start} {h.Pattern.Form} {h.Pattern.Canary.Kind}").Distinct();

    private static byte[] Compress(byte[] data, Func<Stream, Stream> open)
    {
        var output = new MemoryStream();
        using (var stream = open(output)) stream.Write(data);
        return output.ToArray();
    }

    private static byte[] Varint(int value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        } while (value != 0);
        return [.. bytes];
    }

    /// <summary>The same visitor without the probe interface: the walker cannot take its JSON fast path with it.</summary>
    private sealed class FullWalk(CanaryHitCollector inner) : IPayloadVisitor
    {
        public bool WantsEveryJsonValue => false;
        public int MinInterestingLength => inner.MinInterestingLength;
        public bool Visit(PayloadNode node) => inner.Visit(node);
        public void Unreadable(DecodePath path, long size, string reason) => inner.Unreadable(path, size, reason);
    }
}
