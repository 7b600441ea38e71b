using System.Text;

namespace Harness.Leaks.Tests;

/// <summary>Encodings stacked the way real telemetry stacks them.</summary>
public sealed class CombinationTests
{
    private readonly ScanFixture _f = new();

    [Test]
    public void Sensors_body_base64_of_gzip_of_json_inside_a_form_field_is_found_with_full_location()
    {
        var body = SensorsBody.Build(SensorsBody.Events(_f.Url));
        Assert.That(body, Does.Contain("data_list=H4sI"));
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, body));

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
        var finding = ScanFixture.Single(result, CanaryKind.Url);
        Assert.That(finding.Location, Is.EqualTo("body > sensors data_list gzip=1 crc ok > base64 > gzip > event[3] page_load_event_finish > json $.properties.url"));
        Assert.That(finding.DecodeChain, Is.EqualTo(new[] { "sensors", "base64", "gzip", "sensors-event", "json" }));
        Assert.That(finding.Excerpt, Is.EqualTo($"«{_f.Url}»"));
        Assert.That(finding.Host, Is.EqualTo("sa.api.intl.miui.com"));
        // The URL's parts are that URL, not extra findings.
        Assert.That(result.Findings, Has.Count.EqualTo(1));
    }

    [Test]
    public void Host_and_path_without_the_scheme_are_reported_as_the_url()
    {
        var result = _f.Scan(TestFlows.Post("https://data.mistat.intl.xiaomi.com/upload", $"{{\"page\":\"{_f.Host}/{_f.Path}\"}}", "application/json"));
        var finding = ScanFixture.Single(result, CanaryKind.Url);
        Assert.That(finding.Form, Is.EqualTo("host+path"));
        Assert.That(result.Findings.Select(f => f.CanaryKind), Is.EquivalentTo(new[] { CanaryKind.Url }));
    }

    [Test]
    public void Host_alone_is_reported_as_host()
    {
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, $"{{\"domain\":\"{_f.Host}\"}}", "application/json"));
        Assert.That(ScanFixture.Single(result, CanaryKind.Host).Location, Is.EqualTo("body > json $.domain"));
        Assert.That(result.Findings, Has.Count.EqualTo(1));
    }

    [Test]
    public void Search_term_in_a_query_parameter_of_a_vendor_url()
    {
        var flow = TestFlows.Get($"https://tracking.intl.miui.com/track/v1?ev=search&w={Uri.EscapeDataString("best " + _f.Query)}");
        var finding = ScanFixture.Single(_f.Scan(flow), CanaryKind.Query);
        Assert.That(finding.Location, Is.EqualTo("url > query:w"));
    }

    [Test]
    public void Url_safe_base64_without_padding_of_zlib_of_percent_encoded_url_in_a_query_parameter()
    {
        var zlib = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(zlib, System.IO.Compression.CompressionLevel.Optimal))
            z.Write(Encoding.UTF8.GetBytes("u=" + Uri.EscapeDataString(_f.Url)));
        var token = Convert.ToBase64String(zlib.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var finding = ScanFixture.Single(_f.Scan(TestFlows.Get("https://api.ad.intl.xiaomi.com/v?d=" + token)), CanaryKind.Url);
        Assert.That(finding.Location, Does.StartWith("url > query:d > base64"));
        Assert.That(finding.DecodeChain.Take(3), Is.EqualTo(new[] { "query", token.IndexOfAny(['-', '_']) >= 0 ? "base64url" : "base64", "zlib" }));
    }

    [Test]
    public void Percent_encoded_url_canary_is_matched_without_decoding()
    {
        var finding = ScanFixture.Single(_f.Scan(TestFlows.Post("https://x.example.org/c", "ref " + Uri.EscapeDataString(_f.Url), "text/plain")), CanaryKind.Url);
        Assert.That(finding.Destination, Is.EqualTo(DestinationClass.ThirdParty));
    }

    [Test]
    public void Base64_of_brotli_of_json_inside_a_json_field()
    {
        var brotli = new MemoryStream();
        using (var z = new System.IO.Compression.BrotliStream(brotli, System.IO.Compression.CompressionLevel.Optimal))
            z.Write(Encoding.UTF8.GetBytes($"{{\"history\":[\"https://example.org/\",\"{_f.Url}\"]}}"));
        var body = $"{{\"v\":2,\"blob\":\"{Convert.ToBase64String(brotli.ToArray())}\"}}";
        var finding = ScanFixture.Single(_f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, body, "application/json")), CanaryKind.Url);
        Assert.That(finding.Location, Is.EqualTo("body > json $.blob > base64 > brotli > json $.history[1]"));
    }
}
