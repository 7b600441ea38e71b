using System.Text;

namespace Harness.Leaks.Tests;

/// <summary>What must not be reported.</summary>
public sealed class NegativeTests
{
    private readonly ScanFixture _f = new();

    [Test]
    public void Canary_at_the_intended_host_is_not_a_leak()
    {
        var flow = TestFlows.Get(_f.Url);
        var sub = TestFlows.Post($"https://static.{_f.Host}/log", $"t={_f.Title}");
        var search = TestFlows.Get($"https://duckduckgo.com/?q={_f.Query}");
        var result = _f.Scan(flow, sub, search);
        Assert.That(result.Findings, Is.Empty);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass));
    }

    [Test]
    public void A_look_alike_host_is_not_intended()
    {
        var result = _f.Scan(TestFlows.Get($"https://evil{_f.Host}/?q={_f.Query}"));
        Assert.That(result.Findings, Is.Not.Empty);
        Assert.That(result.Findings.All(f => f.Destination == DestinationClass.ThirdParty));
    }

    [Test]
    public void Random_base64_blob_gives_no_finding_and_is_an_opaque_gap()
    {
        var random = new Random(7);
        var blob = new byte[64 * 1024];
        random.NextBytes(blob);
        var body = "{\"blob\":\"" + Convert.ToBase64String(blob) + "\",\"gz\":\"" + Convert.ToBase64String(SensorsBody.Gzip(blob)) + "\"}";
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, body, "application/json"));
        Assert.That(result.Findings, Is.Empty);
        // Random bytes are what ciphertext looks like: nothing is found, and nothing can be claimed either.
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive));
        Assert.That(result.Coverage.Gaps.Select(g => g.Detail), Has.Some.StartsWith("body > json $.blob > base64: 65536 bytes")
            .And.Some.StartsWith("body > json $.gz > base64 > gzip: 65536 bytes"));
    }

    [Test]
    public void Half_a_canary_is_not_a_canary()
    {
        var half = _f.Query[..(_f.Query.Length / 2)];
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, $"a={half}&b={Convert.ToBase64String(Encoding.UTF8.GetBytes(half))}"));
        Assert.That(result.Findings, Is.Empty);
    }

    [Test]
    public void A_canary_split_across_two_flows_is_not_found()
    {
        var cut = _f.Query.Length / 2;
        var result = _f.Scan(
            TestFlows.Post(ScanFixture.SensorsUrl, "part=" + _f.Query[..cut]),
            TestFlows.Post(ScanFixture.SensorsUrl, "part=" + _f.Query[cut..]));
        Assert.That(result.Findings, Is.Empty);
    }

    [Test]
    public void Another_runs_canaries_are_not_this_runs()
    {
        var other = new ScanFixture(seed: 43);
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events(other.Url))));
        Assert.That(result.Findings, Is.Empty);
    }

    [Test]
    public void Zip_bomb_is_cut_at_the_cap_and_does_not_hide_a_canary_before_it()
    {
        var payload = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(payload, System.IO.Compression.CompressionLevel.SmallestSize))
        {
            gz.Write(Encoding.UTF8.GetBytes("q=" + _f.Query + " "));
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 256; i++) gz.Write(zeros);
        }
        var limits = new ScanLimits { MaxDecodedBytesPerStep = 4 * 1024 * 1024, MaxDecodedBytesPerView = 8 * 1024 * 1024 };
        var result = _f.Scan(new ScanRequest { Canaries = _f.Canaries, Limits = limits }, TestFlows.Post(ScanFixture.SensorsUrl, payload.ToArray(), "application/octet-stream"));
        Assert.That(ScanFixture.Single(result, CanaryKind.Query).DecodeChain, Is.EqualTo(new[] { "gzip" }));
    }
}
