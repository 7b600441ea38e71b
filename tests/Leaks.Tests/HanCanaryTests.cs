using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.Leaks.Tests;

/// <summary>
/// A Chinese search term (what a zh-CN phone searches) found in every encoding a real client or SDK writes it in:
/// UTF-8 as is, percent-encoded UTF-8 in upper and lower hex, JSON \uXXXX escapes (upper and lower hex), base64 of
/// UTF-8, and base64 + gzip inside a Sensors Analytics data_list.
/// </summary>
public sealed class HanCanaryTests
{
    private static readonly CanarySet Canaries = CanarySet.Generate(new Random(14), searchEngineHosts: ["www.baidu.com"], queryScript: CanaryScript.Han);
    private static string Term => Canaries.Get(CanaryKind.Query)!.Value;
    private const string Vendor = "https://sa.api.miui.com/sa?project=miui_browser";

    [Test]
    public void A_han_term_is_the_prefix_and_eight_ideographs_and_differs_per_case()
    {
        Assert.That(Term, Does.StartWith(CanarySet.HanTokenPrefix));
        Assert.That(Term, Has.Length.EqualTo(CanarySet.HanTokenPrefix.Length + CanarySet.RandomHanLength));
        Assert.That(Term.Skip(CanarySet.HanTokenPrefix.Length), Has.All.InRange('\u4E00', '\u9FA5'));
        var terms = Enumerable.Range(0, 500).Select(seed => CanarySet.Generate(new Random(seed), queryScript: CanaryScript.Han).Get(CanaryKind.Query)!.Value).ToHashSet();
        Assert.That(terms, Has.Count.EqualTo(500));
        // The URL canary carries it as a browser sends it: percent-encoded UTF-8.
        Assert.That(Canaries.Get(CanaryKind.Url)!.Value, Does.EndWith("?q=" + Uri.EscapeDataString(Term)));
        // Latin stays the default.
        Assert.That(CanarySet.Generate(new Random(14)).Get(CanaryKind.Query)!.Value, Does.StartWith(CanarySet.TokenPrefix));
    }

    private static IEnumerable<TestCaseData> Encodings()
    {
        var term = Term;
        var upper = Uri.EscapeDataString(term);
        yield return new TestCaseData($"word={term}&t=1").SetName("utf-8 raw in a form");
        yield return new TestCaseData($"word={upper}&t=1").SetName("percent-encoded upper hex");
        yield return new TestCaseData($"word={upper.ToLowerInvariant()}&t=1").SetName("percent-encoded lower hex");
        var escapedUpper = string.Concat(term.Select(c => $"\\u{(int)c:X4}"));
        yield return new TestCaseData($"{{\"search_word\":\"{escapedUpper}\"}}").SetName("json \\u escapes upper hex");
        yield return new TestCaseData($"{{\"search_word\":\"{escapedUpper.ToLowerInvariant()}\"}}").SetName("json \\u escapes lower hex");
        yield return new TestCaseData(JsonSerializer.Serialize(new { search_word = term })).SetName("json as System.Text.Json writes it");
        yield return new TestCaseData("v=" + Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"q\":\"" + term + "\"}"))).SetName("base64 of utf-8");
        var events = new JsonArray(new JsonObject { ["event"] = "search", ["properties"] = new JsonObject { ["search_word"] = term, ["search_engine"] = "baidu" } });
        yield return new TestCaseData(SensorsBody.Build(events.ToJsonString())).SetName("sensors data_list, utf-8 json");
        yield return new TestCaseData(SensorsBody.Build(events.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default }))).SetName("sensors data_list, escaped json");
    }

    [TestCaseSource(nameof(Encodings))]
    public void The_term_is_found_in_vendor_telemetry(string body)
    {
        var result = new CanaryScanner().Scan([TestFlows.Post(Vendor, body)], new ScanRequest { Canaries = Canaries });
        var finding = ScanFixture.Single(result, CanaryKind.Query);
        Assert.That(finding.Host, Is.EqualTo("sa.api.miui.com"));
    }

    [Test]
    public void Another_cases_term_is_not_found()
    {
        var other = CanarySet.Generate(new Random(15), queryScript: CanaryScript.Han).Get(CanaryKind.Query)!.Value;
        var body = $"word={Uri.EscapeDataString(other)}&w2={other}&w3=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(other))
            + "&w4=" + Uri.EscapeDataString(JsonSerializer.Serialize(other));
        var result = new CanaryScanner().Scan([TestFlows.Post(Vendor, body)], new ScanRequest { Canaries = Canaries });
        Assert.That(result.Findings.Where(f => f.CanaryKind == CanaryKind.Query), Is.Empty);
    }
}
