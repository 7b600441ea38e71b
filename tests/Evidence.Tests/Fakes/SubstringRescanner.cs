using System.Text;
using System.Text.Json.Nodes;
using Harness.Evidence.Bundles;
using Harness.Evidence.Records;
using Harness.Evidence.Verification;

namespace Harness.Evidence.Tests.Fakes;

/// <summary>
/// Stand-in for the real scanner: finds each canary of canaries.json ({"canaries":[{"kind","value"}]}) in each HAR entry,
/// raw or base64, in the URL, header values or request body. Enough to make verification depend on the bundled bytes.
/// </summary>
internal sealed class SubstringRescanner : IBundleRescanner
{
    public async Task<IReadOnlyList<CaseRecord>> RescanAsync(BundleContents bundle, CancellationToken ct)
    {
        var results = new List<CaseRecord>();
        foreach (var bundleCase in bundle.Cases)
        {
            if (bundleCase.HarPath is null || bundleCase.CanariesPath is null) continue;
            var findings = Scan(await bundle.ReadAllBytesAsync(bundleCase.HarPath, ct), await bundle.ReadAllBytesAsync(bundleCase.CanariesPath, ct));
            results.Add(bundleCase.Record with
            {
                Findings = findings,
                Verdict = findings.Count > 0 ? CaseVerdicts.Fail : CaseVerdicts.Pass,
            });
        }
        return results;
    }

    public static IReadOnlyList<FindingRecord> Scan(byte[] har, byte[] canariesJson)
    {
        var canaries = JsonNode.Parse(canariesJson)!["canaries"]!.AsArray()
            .Select(c => (Kind: c!["kind"]!.GetValue<string>(), Value: c["value"]!.GetValue<string>())).ToList();
        var entries = JsonNode.Parse(har)!["log"]!["entries"]!.AsArray();
        var findings = new List<FindingRecord>();
        foreach (var entry in entries.OfType<JsonObject>())
        {
            var flowId = entry["_flowId"]!.GetValue<string>();
            var request = entry["request"]!;
            var url = request["url"]!.GetValue<string>();
            var places = new List<(string Location, string Text)> { ("request.url", url) };
            places.AddRange(request["headers"]!.AsArray().Select(h => ("request.header:" + h!["name"]!.GetValue<string>(), h["value"]!.GetValue<string>())));
            if (request["postData"]?["text"]?.GetValue<string>() is { } body) places.Add(("request.body", body));
            foreach (var (kind, value) in canaries)
            {
                var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=');
                foreach (var (location, text) in places)
                {
                    string[]? chain = text.Contains(value, StringComparison.Ordinal) ? []
                        : text.Contains(base64, StringComparison.Ordinal) ? ["base64"] : null;
                    if (chain is null) continue;
                    findings.Add(new FindingRecord
                    {
                        FlowId = flowId, Host = new Uri(url).Host, Destination = "vendor-analytics", CanaryKind = kind,
                        Location = location, DecodeChain = chain, Excerpt = value,
                    });
                }
            }
        }
        return findings;
    }
}
