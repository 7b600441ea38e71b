using Harness.Flows;

namespace Harness.Leaks.Tests;

/// <summary>A canary set, the vendor endpoint of the 2020 report and a scanner.</summary>
internal sealed class ScanFixture
{
    public const string SensorsUrl = "https://sa.api.intl.miui.com/sa?project=global_browser_mini&r=IN";

    public ScanFixture(int seed = 42)
    {
        Canaries = CanarySet.Generate(new Random(seed), searchEngineHosts: ["duckduckgo.com"]);
    }

    public CanarySet Canaries { get; }
    public CanaryScanner Scanner { get; } = new();

    public string Url => Canaries.Get(CanaryKind.Url)!.Value;
    public string Host => Canaries.Get(CanaryKind.Host)!.Value;
    public string Path => Canaries.Get(CanaryKind.Path)!.Value;
    public string Query => Canaries.Get(CanaryKind.Query)!.Value;
    public string Title => Canaries.Get(CanaryKind.Title)!.Value;

    public ScanResult Scan(params Flow[] flows) => Scanner.Scan(flows, new ScanRequest { Canaries = Canaries });

    public ScanResult Scan(ScanRequest request, params Flow[] flows) => Scanner.Scan(flows, request);

    /// <summary>The one finding of <paramref name="kind"/>; fails listing what was found otherwise.</summary>
    public static Finding Single(ScanResult result, CanaryKind kind)
    {
        var matching = result.Findings.Where(f => f.CanaryKind == kind).ToList();
        Assert.That(matching, Has.Count.EqualTo(1), () => "findings: " + string.Join(" | ", result.Findings.Select(f => $"{f.CanaryKind} {f.Location} [{string.Join(",", f.DecodeChain)}]")));
        return matching[0];
    }
}
