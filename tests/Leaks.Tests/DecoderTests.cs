using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Harness.Flows;

namespace Harness.Leaks.Tests;

/// <summary>Each decoder alone: a canary wrapped once must be found, with that decoder in the chain.</summary>
public sealed class DecoderTests
{
    private readonly ScanFixture _f = new();

    private Finding FindQueryIn(byte[] body, string? contentType = "application/octet-stream")
    {
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, body, contentType));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
        return ScanFixture.Single(result, CanaryKind.Query);
    }

    private Finding FindQueryIn(string body, string? contentType = "text/plain") => FindQueryIn(Encoding.UTF8.GetBytes(body), contentType);

    [Test]
    public void Plain_text_body_is_found_with_an_empty_chain()
    {
        var finding = FindQueryIn($"hello {_f.Query} world");
        Assert.That(finding.DecodeChain, Is.Empty);
        Assert.That(finding.Location, Is.EqualTo("body"));
        Assert.That(finding.Excerpt, Does.Contain($"«{_f.Query}»"));
        Assert.That(finding.Destination, Is.EqualTo(DestinationClass.Vendor));
    }

    [Test]
    public void Uppercased_canary_is_found_because_search_is_case_insensitive()
    {
        var finding = FindQueryIn($"q={_f.Query.ToUpperInvariant()}");
        Assert.That(finding.CanaryValue, Is.EqualTo(_f.Query));
    }

    [Test]
    public void Double_percent_encoding_is_undone_level_by_level()
    {
        var once = string.Concat(_f.Query.Select(c => $"%{(int)c:X2}"));
        var twice = once.Replace("%", "%25");
        var finding = FindQueryIn($"x {twice} y");
        Assert.That(finding.DecodeChain, Is.EqualTo(new[] { "percent", "percent" }));
    }

    [Test]
    public void Form_field_is_named_in_the_location_and_plus_means_space()
    {
        var finding = FindQueryIn($"a=1&title=hello+{string.Concat(_f.Query.Select(c => $"%{(int)c:x2}"))}&b=2", "application/x-www-form-urlencoded");
        Assert.That(finding.Location, Is.EqualTo("body > form:title"));
        Assert.That(finding.Excerpt, Does.Contain("hello «"));
    }

    [Test]
    public void Multipart_part_is_named_in_the_location()
    {
        var body = $"--XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\n{Convert.ToBase64String(Encoding.UTF8.GetBytes("q:" + _f.Query))}\r\n--XyZ--\r\n";
        var finding = FindQueryIn(body, "multipart/form-data; boundary=XyZ");
        Assert.That(finding.Location, Is.EqualTo("body > multipart:meta > base64"));
    }

    [Test]
    public void Json_unicode_escapes_are_undone_and_the_path_is_reported()
    {
        var escaped = string.Concat(_f.Query.Select(c => $"\\u{(int)c:x4}"));
        var finding = FindQueryIn($$$"""{"events":[{},{},{},{"props":{"w":"{{{escaped}}}"}}]}""", "application/json");
        Assert.That(finding.Location, Is.EqualTo("body > json $.events[3].props.w"));
        Assert.That(finding.DecodeChain, Is.EqualTo(new[] { "json" }));
    }

    [Test]
    public void Json_escaped_slashes_in_a_url_are_undone()
    {
        var finding = ScanFixture.Single(_f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, $$"""{"url":"{{_f.Url.Replace("/", "\\/")}}"}""", "application/json")), CanaryKind.Url);
        Assert.That(finding.Location, Is.EqualTo("body > json $.url"));
        Assert.That(finding.Form, Is.EqualTo("plain"));
    }

    [Test]
    public void Json_nested_in_a_json_string_is_decoded_again()
    {
        var inner = $$$"""{"a":{"b":"\u0020{{{_f.Query}}}"}}""".Replace("\"", "\\\"");
        var finding = FindQueryIn($$"""{"payload":"{{inner}}"}""", "application/json");
        Assert.That(finding.Location, Is.EqualTo("body > json $.payload > json $.a.b"));
    }

    [TestCase(false, true)]
    [TestCase(false, false)]
    [TestCase(true, true)]
    [TestCase(true, false)]
    public void Base64_at_every_offset_inside_a_longer_run(bool urlSafe, bool padded)
    {
        // Plaintext offsets change the base64 text of the canary; the prefix of alphabet characters shifts the run.
        for (var plainOffset = 0; plainOffset < 3; plainOffset++)
        for (var prefix = 0; prefix < 4; prefix++)
        {
            var plain = new string('x', plainOffset) + " search " + _f.Query + " from test";
            var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(plain));
            if (urlSafe) b64 = b64.Replace('+', '-').Replace('/', '_');
            if (!padded) b64 = b64.TrimEnd('=');
            var body = "token: " + "AbCd".Substring(0, prefix) + b64 + " end";
            var finding = FindQueryIn(body);
            Assert.That(finding.DecodeChain, Is.EqualTo(new[] { urlSafe && b64.IndexOfAny(['-', '_']) >= 0 ? "base64url" : "base64" }),
                $"plain offset {plainOffset}, prefix {prefix}: {body}");
        }
    }

    [Test]
    public void Hex_is_decoded_in_either_case()
    {
        var hex = Convert.ToHexString(Encoding.UTF8.GetBytes("q: " + _f.Query));
        Assert.That(FindQueryIn("id=" + hex).DecodeChain, Is.EqualTo(new[] { "form", "hex" }));
        Assert.That(FindQueryIn("v:" + hex.ToLowerInvariant() + ";").DecodeChain, Is.EqualTo(new[] { "hex" }));
    }

    [Test]
    public void Gzip_body_is_decompressed()
    {
        var finding = FindQueryIn(SensorsBody.Gzip(Encoding.UTF8.GetBytes("search " + _f.Query)));
        Assert.That(finding.DecodeChain, Is.EqualTo(new[] { "gzip" }));
    }

    [Test]
    public void Zlib_body_is_decompressed()
    {
        var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal)) z.Write(Encoding.UTF8.GetBytes("search " + _f.Query));
        Assert.That(FindQueryIn(output.ToArray()).DecodeChain, Is.EqualTo(new[] { "zlib" }));
    }

    [Test]
    public void Raw_deflate_without_a_header_is_found_by_trying_it()
    {
        var output = new MemoryStream();
        using (var z = new DeflateStream(output, CompressionLevel.Optimal)) z.Write(Encoding.UTF8.GetBytes("search " + _f.Query + " " + new string('a', 50)));
        Assert.That(FindQueryIn(output.ToArray()).DecodeChain, Is.EqualTo(new[] { "deflate" }));
    }

    [Test]
    public void Brotli_without_a_header_is_found_by_trying_it()
    {
        var output = new MemoryStream();
        using (var z = new BrotliStream(output, CompressionLevel.Optimal)) z.Write(Encoding.UTF8.GetBytes("search " + _f.Query));
        Assert.That(FindQueryIn(output.ToArray()).DecodeChain, Is.EqualTo(new[] { "brotli" }));
    }

    [Test]
    public void Zstd_body_is_decompressed()
    {
        using var compressor = new ZstdSharp.Compressor(3);
        var compressed = compressor.Wrap(Encoding.UTF8.GetBytes("search " + _f.Query)).ToArray();
        Assert.That(FindQueryIn(compressed).DecodeChain, Is.EqualTo(new[] { "zstd" }));
    }

    [Test]
    public void Content_encoding_br_is_undone_when_the_proxy_did_not()
    {
        var output = new MemoryStream();
        using (var z = new BrotliStream(output, CompressionLevel.Optimal)) z.Write(Encoding.UTF8.GetBytes($"{{\"q\":\"{_f.Query}\"}}"));
        var flow = TestFlows.Post(ScanFixture.SensorsUrl, output.ToArray(), "application/json");
        flow.RequestBody!.ContentEncoding = "br";
        var finding = ScanFixture.Single(_f.Scan(flow), CanaryKind.Query);
        Assert.That(finding.Location, Is.EqualTo("body > content-encoding:brotli > json $.q"));
    }

    [Test]
    public void Protobuf_length_delimited_string_is_found_without_a_schema()
    {
        // message { int32 a = 1; string url = 2; Inner inner = 3 { bytes hex = 4 } }
        var hex = Encoding.ASCII.GetBytes(Convert.ToHexString(Encoding.UTF8.GetBytes(_f.Query)));
        var inner = new List<byte> { 0x22, (byte)hex.Length };
        inner.AddRange(hex);
        var message = new List<byte> { 0x08, 0x96, 0x01, 0x12, 0x05 };
        message.AddRange("hello"u8.ToArray());
        message.Add(0x1a);
        message.Add((byte)inner.Count);
        message.AddRange(inner);
        var finding = FindQueryIn(message.ToArray(), "application/x-protobuf");
        Assert.That(finding.Location, Is.EqualTo("body > protobuf #3 > protobuf #4 > hex"));
    }

    [Test]
    public void Html_entities_are_decoded()
    {
        var entities = string.Concat(_f.Query.Select((c, i) => i % 2 == 0 ? $"&#{(int)c};" : $"&#x{(int)c:x};"));
        var finding = FindQueryIn($"<p title=\"{entities}\">x &amp; y</p>", "text/html");
        Assert.That(finding.DecodeChain, Is.EqualTo(new[] { "html" }));
    }

    [TestCase("md5")]
    [TestCase("sha1")]
    [TestCase("sha256")]
    public void Hashes_of_a_canary_count_as_that_canary(string algorithm)
    {
        var bytes = Encoding.UTF8.GetBytes(_f.Query);
        var digest = algorithm switch { "md5" => MD5.HashData(bytes), "sha1" => SHA1.HashData(bytes), _ => SHA256.HashData(bytes) };
        foreach (var text in new[] { Convert.ToHexStringLower(digest), Convert.ToHexString(digest), Convert.ToBase64String(digest) })
        {
            var finding = FindQueryIn($"{{\"k\":\"{text}\"}}", "application/json");
            Assert.That(finding.DecodeChain, Is.EqualTo(new[] { "json", algorithm }), text);
        }
    }

    [Test]
    public void Referer_and_cookie_headers_are_views()
    {
        var flow = TestFlows.Get("https://ads.example.net/pixel.gif",
            new HeaderField("Referer", _f.Url), new HeaderField("Cookie", $"a=1; last={WebUtility.UrlEncode(_f.Title)}"));
        var result = _f.Scan(flow);
        Assert.That(ScanFixture.Single(result, CanaryKind.Url).Location, Is.EqualTo("header:Referer"));
        Assert.That(ScanFixture.Single(result, CanaryKind.Title).Location, Is.EqualTo("header:Cookie > cookie:last"));
        Assert.That(result.Findings.All(f => f.Destination == DestinationClass.ThirdParty));
    }

    [Test]
    public void Websocket_messages_are_views()
    {
        var flow = TestFlows.Get("https://push.xiaomi.com/ws");
        flow.Kind = FlowKind.WebSocket;
        flow.WebSocketMessages.Add(new WebSocketMessage(DateTimeOffset.UnixEpoch, true, true, Encoding.UTF8.GetBytes($"{{\"t\":\"{_f.Title}\"}}")));
        Assert.That(ScanFixture.Single(_f.Scan(flow), CanaryKind.Title).Location, Is.EqualTo("websocket #0 client > json $.t"));
    }

    [Test]
    public void Response_bodies_are_scanned_only_when_asked()
    {
        var flow = TestFlows.Get("https://api.ad.intl.xiaomi.com/echo");
        flow.ResponseBody = new FlowBody { Raw = Encoding.UTF8.GetBytes(_f.Title), Size = _f.Title.Length, ContentType = "text/plain" };
        Assert.That(_f.Scan(flow).Findings, Is.Empty);
        var asked = _f.Scan(new ScanRequest { Canaries = _f.Canaries, ScanResponseBodies = true }, flow);
        Assert.That(ScanFixture.Single(asked, CanaryKind.Title).Location, Is.EqualTo("response body"));
    }
}
