using System.IO.Compression;
using System.Text;

namespace Harness.Leaks.Tests;

/// <summary>
/// Random nesting of up to four encodings around a canary inside random noise is always found, with the chain
/// that was applied. Every encoding here changes the canary's bytes, so the chain is exactly the nesting.
/// </summary>
public sealed class EncodingPropertyTests
{
    private static readonly string[] Encodings = ["base64", "base64url", "hex", "gzip", "zlib", "zstd", "percent", "html", "json-unicode"];
    private static readonly string[] BinaryProducing = ["gzip", "zlib", "zstd"];

    [Test]
    public void Random_nesting_of_up_to_four_encodings_is_always_found_with_the_right_chain()
    {
        var f = new ScanFixture(seed: 1);
        var random = new Random(20260101);
        for (var iteration = 0; iteration < 300; iteration++)
        {
            var depth = 1 + random.Next(4);
            var chain = new List<string>();
            var data = Encoding.UTF8.GetBytes(Noise(random) + " " + f.Query + " " + Noise(random));
            var binary = false;
            for (var i = 0; i < depth; i++)
            {
                // Text-only encodings cannot wrap binary (they would not be produced that way by any client).
                var options = binary ? Encodings.Where(e => e is "base64" or "base64url" or "hex").ToArray() : Encodings;
                var e = options[random.Next(options.Length)];
                data = Encode(e, data);
                chain.Add(e == "json-unicode" ? "json" : e);
                binary = BinaryProducing.Contains(e);
                if (e == "base64url") chain[^1] = Encoding.ASCII.GetString(data).IndexOfAny(['-', '_']) >= 0 ? "base64url" : "base64";
            }
            var body = binary ? Encode("base64", data) : data;
            if (binary) chain.Add("base64");
            var framed = Encoding.UTF8.GetBytes(Noise(random) + "\n").Concat(body).Concat(Encoding.UTF8.GetBytes("\n" + Noise(random))).ToArray();
            chain.Reverse();

            var result = f.Scan(TestFlows.Post("https://x.example.org/up", framed, "text/plain"));
            var query = result.Findings.Where(x => x.CanaryKind == CanaryKind.Query).ToList();
            Assert.That(query, Is.Not.Empty, () => $"iteration {iteration}: chain {string.Join(">", chain)} not found in {Encoding.UTF8.GetString(framed)[..Math.Min(400, framed.Length)]}");
            // JSON framed by noise is not a document: its escapes are undone as embedded JSON text ("json-string"); both are JSON.
            Assert.That(query.Select(q => string.Join(">", q.DecodeChain.Select(d => d == "json-string" ? "json" : d))), Does.Contain(string.Join(">", chain)), () => $"iteration {iteration}: expected {string.Join(">", chain)}, got {string.Join(" | ", query.Select(q => q.Location))}");
        }
    }

    private static string Noise(Random random)
    {
        const string alphabet = "abcdefghij klmnop qrstuv wxyz ,.;:!";
        var chars = new char[random.Next(0, 80)];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
        return new string(chars);
    }

    private static byte[] Encode(string encoding, byte[] data)
    {
        switch (encoding)
        {
            case "base64": return Encoding.ASCII.GetBytes(Convert.ToBase64String(data));
            case "base64url": return Encoding.ASCII.GetBytes(Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
            case "hex": return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(data));
            case "percent": return Encoding.ASCII.GetBytes(string.Concat(data.Select(b => $"%{b:X2}")));
            case "html": return Encoding.ASCII.GetBytes(string.Concat(Encoding.UTF8.GetString(data).Select(c => $"&#{(int)c};")));
            case "json-unicode": return Encoding.ASCII.GetBytes("{\"v\":\"" + string.Concat(Encoding.UTF8.GetString(data).Select(c => $"\\u{(int)c:x4}")) + "\"}");
            case "zstd":
            {
                using var compressor = new ZstdSharp.Compressor(3);
                return compressor.Wrap(data).ToArray();
            }
            default:
            {
                var output = new MemoryStream();
                using (Stream z = encoding == "gzip" ? new GZipStream(output, CompressionLevel.Fastest) : new ZLibStream(output, CompressionLevel.Fastest)) z.Write(data);
                return output.ToArray();
            }
        }
    }
}
