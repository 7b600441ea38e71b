using System.Text;

namespace Harness.Leaks.Tests;

/// <summary>
/// Sensors Analytics uploads read by their field names: crc checked, events named in the location, any field order,
/// and the encrypted variant (gzip=9) a coverage gap rather than a pass.
/// </summary>
public sealed class SensorsDecoderTests
{
    private readonly ScanFixture _f = new(seed: 15);

    [Test]
    public void Crc_is_java_string_hashcode()
    {
        // java.lang.String#hashCode: s[0]*31^(n-1) + … + s[n-1] in 32-bit two's complement (values worked out from that
        // definition independently of the code under test; the long one overflows several times).
        Assert.That(SensorsAnalyticsDecoder.JavaStringHashCode("hello"), Is.EqualTo(99162322));
        Assert.That(SensorsAnalyticsDecoder.JavaStringHashCode("Hello World"), Is.EqualTo(-862545276));
        Assert.That(SensorsAnalyticsDecoder.JavaStringHashCode("H4sIAAAAAAAAA"), Is.EqualTo(389814751));
        Assert.That(SensorsAnalyticsDecoder.JavaStringHashCode(""), Is.Zero);
    }

    [Test]
    public void A_crc_that_does_not_match_data_list_is_named_on_the_finding()
    {
        var body = SensorsBody.Build(SensorsBody.Events(_f.Url));
        var sent = body[4..body.IndexOf('&')];
        var tampered = body.Replace("crc=" + sent + "&", "crc=12345&");
        var finding = ScanFixture.Single(_f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, tampered)), CanaryKind.Url);
        Assert.That(finding.Location, Is.EqualTo($"body > sensors data_list gzip=1 crc mismatch (sent 12345, data_list hashes to {sent}) > base64 > gzip > event[3] page_load_event_finish > json $.properties.url"));
    }

    [Test]
    public void Fields_are_read_by_name_in_any_order_and_without_crc()
    {
        var body = SensorsBody.Build(SensorsBody.Events(_f.Url));
        var fields = body.Split('&').ToDictionary(f => f[..f.IndexOf('=')], f => f);
        var reordered = fields["data_list"] + "&gzip=1&project=global_browser_mini";
        var finding = ScanFixture.Single(_f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, reordered)), CanaryKind.Url);
        Assert.That(finding.Location, Is.EqualTo("body > sensors data_list gzip=1 no crc > base64 > gzip > event[3] page_load_event_finish > json $.properties.url"));
    }

    [Test]
    public void Encrypted_upload_is_a_coverage_gap_naming_host_size_and_reason()
    {
        var dataList = """[{"ekey":"UmFuZG9tS2V5Qnl0ZXNXcmFwcGVkQnlSU0E=","pkv":3,"payloads":["q83vEjRWeJCrze8SNFZ4kA=="]}]""";
        var body = $"crc={SensorsBody.JavaHashCode(dataList)}&gzip=9&data_list={Uri.EscapeDataString(dataList)}";
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, body));
        Assert.That(result.Findings, Is.Empty);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive));
        var gap = result.Coverage.Gaps.Single();
        Assert.That(gap.Kind, Is.EqualTo("opaque-payload"));
        Assert.That(gap.Host, Is.EqualTo("sa.api.intl.miui.com"));
        Assert.That(gap.Detail, Is.EqualTo($"body > sensors data_list gzip=9 crc ok: {dataList.Length} bytes, Sensors Analytics encrypted upload (gzip=9): data_list is an {{ekey, pkv, payloads}} batch, AES under a key only the vendor holds"));
        Assert.That(result.Expectations.Single().Reason, Does.Contain("opaque-payload sa.api.intl.miui.com"));
    }

    [Test]
    public void A_canary_beside_an_encrypted_upload_still_fails_the_case()
    {
        var body = $"gzip=9&data_list=%5B%5D&url={Uri.EscapeDataString(_f.Url)}";
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, body));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(ScanFixture.Single(result, CanaryKind.Url).Location, Is.EqualTo("body > form:url"));
    }

    [Test]
    public void A_data_list_that_is_not_base64_of_gzip_is_walked_as_an_ordinary_form()
    {
        var body = "crc=1&gzip=1&data_list=" + Uri.EscapeDataString($"[{{\"url\":\"{_f.Url}\"}}]");
        var finding = ScanFixture.Single(_f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, body)), CanaryKind.Url);
        Assert.That(finding.Location, Is.EqualTo("body > form:data_list > json $[0].url"));
    }

    [Test]
    public void Registered_decode_gives_every_event_with_its_name()
    {
        var parts = SensorsAnalyticsDecoder.Instance.Decode(Encoding.ASCII.GetBytes(SensorsBody.Build(SensorsBody.Events(_f.Url))), null, ScanLimits.Default);
        Assert.That(parts.Select(p => p.Label), Is.EqualTo(new[]
        {
            "sensors data_list gzip=1 crc ok > base64 > gzip > event[0] app_start",
            "sensors data_list gzip=1 crc ok > base64 > gzip > event[1] page_load_event_start",
            "sensors data_list gzip=1 crc ok > base64 > gzip > event[2] search",
            "sensors data_list gzip=1 crc ok > base64 > gzip > event[3] page_load_event_finish",
        }));
        Assert.That(Encoding.UTF8.GetString(parts[2].Data.Span), Does.StartWith("{\"_track_id\":323456").And.EndWith("}"));
    }
}
