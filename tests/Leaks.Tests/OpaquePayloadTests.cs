using System.Text;
using Harness.Flows;

namespace Harness.Leaks.Tests;

/// <summary>
/// A request payload to a vendor or third party that no decoder opens and that looks like ciphertext or compressed
/// data is a coverage gap (inconclusive), never a pass; ordinary traffic with short random values is not; named
/// binary formats are not; what only the phone received is not.
/// </summary>
public sealed class OpaquePayloadTests
{
    private readonly ScanFixture _f = new(seed: 16);

    private static byte[] RandomBytes(int n, int seed = 1)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Test]
    public void Undecodable_bytes_to_a_vendor_are_a_gap_with_size_and_reason()
    {
        var result = _f.Scan(TestFlows.Post("https://data.mistat.intl.xiaomi.com/upload", RandomBytes(4096), "application/octet-stream"));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive));
        var gap = result.Coverage.Gaps.Single();
        Assert.That((gap.Kind, gap.Host, gap.Destination), Is.EqualTo(("opaque-payload", "data.mistat.intl.xiaomi.com", (DestinationClass?)DestinationClass.Vendor)));
        Assert.That(gap.Detail, Does.Match(@"^body: 4096 bytes, binary with 7\.9\d bits of entropy per byte that no decoder opens"));
    }

    [Test]
    public void Undecodable_bytes_to_a_third_party_are_a_gap_too_and_to_the_intended_host_are_not()
    {
        var third = _f.Scan(TestFlows.Post("https://collector.example-analytics.net/b", RandomBytes(2048), null));
        Assert.That(third.Verdict, Is.EqualTo(Verdict.Inconclusive));
        Assert.That(third.Coverage.Gaps.Single().Destination, Is.EqualTo(DestinationClass.ThirdParty));
        var intended = _f.Scan(TestFlows.Post("https://" + _f.Host + "/upload", RandomBytes(2048), null));
        Assert.That(intended.Verdict, Is.EqualTo(Verdict.Pass));
    }

    [Test]
    public void Ciphertext_in_base64_inside_json_is_a_gap_even_where_the_json_fast_path_applies()
    {
        // Nothing in the document matches a canary: the fast path would skip it, unless the opaque string stops it.
        var body = "{\"v\":2,\"blob\":\"" + Convert.ToBase64String(RandomBytes(1024)) + "\"}";
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, body, "application/json"));
        Assert.That(result.Coverage.Gaps.Single().Detail, Does.StartWith("body > json $.blob > base64: 1024 bytes"));
    }

    [Test]
    public void A_large_cookie_holding_ciphertext_is_a_gap()
    {
        var flow = TestFlows.Get("https://api.ad.intl.xiaomi.com/v1/ad", new HeaderField("Cookie", "a=1; s=" + Convert.ToBase64String(RandomBytes(900))));
        var result = _f.Scan(flow);
        Assert.That(result.Coverage.Gaps.Single().Detail, Does.StartWith("header:Cookie > cookie:s > base64: 900 bytes"));
    }

    [Test]
    public void A_corrupt_compressed_stream_is_a_gap()
    {
        var gzipped = SensorsBody.Gzip(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(_f.Url, 200))));
        var corrupt = gzipped[..10].Concat(RandomBytes(2000)).ToArray();
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, corrupt, "application/octet-stream"));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive), string.Join("; ", result.Coverage.Items.Select(i => i.Detail)));
    }

    [Test]
    public void Short_random_values_of_ordinary_traffic_are_no_gap()
    {
        var signature = RandomBytes(512, seed: 3);
        var body = $$"""
            {"session_id":"{{Guid.NewGuid()}}","nonce":"{{Convert.ToBase64String(RandomBytes(16))}}","sig":"{{Convert.ToBase64String(signature)}}",
             "digest":"{{Convert.ToHexStringLower(RandomBytes(32))}}","device_id":"a1b2c3d4e5f60718","events":[{"e":"open","t":1588000000000}]}
            """;
        var flow = TestFlows.Post("https://data.mistat.intl.xiaomi.com/v2/events", body, "application/json");
        flow.RequestHeaders.Add(new HeaderField("X-Signature", Convert.ToBase64String(RandomBytes(256, seed: 4))));
        var result = _f.Scan(flow);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), string.Join("; ", result.Coverage.Items.Select(i => i.Detail)));
    }

    [TestCase(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, "PNG image")]
    [TestCase(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "JPEG image")]
    [TestCase(new byte[] { (byte)'w', (byte)'O', (byte)'F', (byte)'2' }, "WOFF2 font")]
    public void Known_binary_formats_are_named_not_opaque(byte[] signature, string name)
    {
        var file = signature.Concat(RandomBytes(4096)).ToArray();
        Assert.That(OpaquePayloadClassifier.KnownFormat(file), Is.EqualTo(name));
        var result = _f.Scan(TestFlows.Post("https://api.ad.intl.xiaomi.com/upload", file, "application/octet-stream"));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass));
    }

    [Test]
    public void A_response_of_random_bytes_is_no_gap_it_is_what_the_phone_received()
    {
        var flow = TestFlows.Get("https://api.ad.intl.xiaomi.com/blob");
        flow.ResponseBody = new FlowBody { Raw = RandomBytes(8192), Size = 8192, ContentType = "application/octet-stream" };
        var result = _f.Scan(new ScanRequest { Canaries = _f.Canaries, ScanResponseBodies = true }, flow);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass));
    }

    [Test]
    public void Entropy_thresholds_separate_random_from_structured_binary()
    {
        var limits = ScanLimits.Default;
        Assert.That(OpaquePayloadClassifier.Entropy(new byte[1000]), Is.Zero);
        Assert.That(OpaquePayloadClassifier.Entropy(Enumerable.Range(0, 256 * 16).Select(i => (byte)i).ToArray()), Is.EqualTo(8.0).Within(1e-9));
        // Random data at the shortest opaque length is above the threshold whatever the seed.
        for (var seed = 0; seed < 50; seed++)
            Assert.That(OpaquePayloadClassifier.Classify(RandomBytes(limits.MinOpaqueBytes, seed), limits), Is.Not.Null, $"seed {seed}");
        Assert.That(OpaquePayloadClassifier.Classify(RandomBytes(limits.MinOpaqueBytes - 1), limits), Is.Null, "shorter than the threshold");
        // Structured binary: little-endian counters and small varints, as tables of numbers and protobuf are.
        var table = Enumerable.Range(0, 1024).SelectMany(i => BitConverter.GetBytes(i * 7)).ToArray();
        Assert.That(OpaquePayloadClassifier.Classify(table, limits), Is.Null);
        Assert.That(OpaquePayloadClassifier.Entropy(table), Is.LessThan(limits.MinOpaqueEntropy));
    }
}
