using System.Text;
using System.Text.Json.Nodes;
using Harness.Core;
using Harness.Evidence.Bundles;
using Harness.Evidence.Redaction;
using Harness.Evidence.Tests.Fakes;
using Harness.Evidence.Verification;

namespace Harness.Evidence.Tests.Redaction;

public sealed class BundleRedactorTests
{
    private TestBundleFactory _factory = null!;

    [SetUp] public void SetUp() => _factory = new TestBundleFactory();
    [TearDown] public void TearDown() => _factory.Dispose();

    private async Task<(string Original, string Redacted, SealedBundle Sealed)> RedactAsync(string tokenValue = "plain-token-value")
    {
        var (folder, _) = await _factory.CreateSealedAsync(leak: true, tokenValue: tokenValue);
        var output = _factory.NewFolder("redacted");
        using var key = await _factory.Keys.LoadOrCreateAsync(CancellationToken.None);
        var sealedBundle = await new BundleRedactor(new RedactionPolicy { ExtraFields = ["X-Device-Key"] })
            .RedactAsync(folder, output, key, CancellationToken.None);
        return (folder, output, sealedBundle);
    }

    [Test]
    public async Task A_redacted_bundle_verifies_and_contains_no_masked_secret()
    {
        var (original, redacted, sealedBundle) = await RedactAsync();

        var report = await new BundleVerifier(new SubstringRescanner()).VerifyAsync(redacted, sealedBundle.SigningKeyFingerprint, CancellationToken.None);
        Assert.That(report.Holds, Is.True, report.ToText());
        Assert.That(report.CasesRescanned, Is.EqualTo(2));

        var originalText = string.Concat(Directory.EnumerateFiles(original, "*.har", SearchOption.AllDirectories).Select(File.ReadAllText));
        var redactedText = string.Concat(Directory.EnumerateFiles(redacted, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        foreach (var secret in TestBundleFactory.Secrets)
        {
            Assert.That(originalText, Does.Contain(secret), "fixture must contain " + secret);
            Assert.That(redactedText, Does.Not.Contain(secret));
        }
        Assert.That(redactedText, Does.Contain(TestBundleFactory.SearchCanary), "evidence stays");
    }

    [Test]
    public async Task Redaction_keeps_the_HAR_structure_and_records_what_was_masked()
    {
        var (original, redacted, sealedBundle) = await RedactAsync();
        var before = JsonNode.Parse(File.ReadAllText(Path.Combine(original, "cases", "mint-incognito-url", "flows.har")))!["log"]!["entries"]!.AsArray();
        var after = JsonNode.Parse(File.ReadAllText(Path.Combine(redacted, "cases", "mint-incognito-url", "flows.har")))!["log"]!["entries"]!.AsArray();
        Assert.That(after.Count, Is.EqualTo(before.Count));
        var headers = after[0]!["request"]!["headers"]!.AsArray();
        Assert.That(headers.Select(h => h!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "Authorization", "Cookie", "X-Device-Key" }));
        Assert.That(headers[1]!["value"]!.GetValue<string>(), Is.EqualTo("sid=[REDACTED]; lang=[REDACTED]"));
        Assert.That(after[0]!["response"]!["headers"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("sess=[REDACTED]; Path=/; HttpOnly"));
        var body = JsonNode.Parse(after[0]!["request"]!["postData"]!["text"]!.GetValue<string>())!;
        Assert.That(body["serviceToken"]!.GetValue<string>(), Is.EqualTo("[REDACTED]"));
        Assert.That(body["data"]!["cUserId"]!.GetValue<string>(), Is.EqualTo("[REDACTED]"));

        var log = JsonNode.Parse(File.ReadAllText(Path.Combine(redacted, "redactions.json")))!;
        var originalManifest = File.ReadAllBytes(Path.Combine(original, "manifest.json"));
        var originalSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(originalManifest));
        Assert.That(log["originalManifestSha256"]!.GetValue<string>(), Is.EqualTo(originalSha));
        Assert.That(sealedBundle.Manifest.RedactedFromManifestSha256, Is.EqualTo(originalSha));
        var masked = log["redactions"]!.AsArray()
            .Where(r => r!["action"]!.GetValue<string>() == RedactionActions.Masked && r["file"]!.GetValue<string>() == "cases/mint-incognito-url/flows.har")
            .Select(r => $"{r!["entryIndex"]}:{r["field"]}").ToList();
        Assert.That(masked, Is.SupersetOf(new[]
        {
            "0:request.headers[Authorization]", "0:request.headers[Cookie]", "0:request.headers[X-Device-Key]", "0:request.queryString[passToken]",
            "0:request.url?passToken", "0:request.postData.text$.serviceToken", "0:request.postData.text$.data.cUserId", "0:response.headers[Set-Cookie]",
        }));
        Assert.That(sealedBundle.Manifest.Files.Select(f => f.Path), Does.Contain("redactions.json"));
    }

    [Test]
    public async Task A_token_value_that_carries_a_canary_is_kept_and_the_finding_stays_verifiable()
    {
        var (_, redacted, _) = await RedactAsync(tokenValue: TestBundleFactory.UrlCanary);
        var har = File.ReadAllText(Path.Combine(redacted, "cases", "mint-incognito-url", "flows.har"));
        var body = JsonNode.Parse(JsonNode.Parse(har)!["log"]!["entries"]![0]!["request"]!["postData"]!["text"]!.GetValue<string>())!;
        Assert.That(body["data"]!["token"]!.GetValue<string>(), Is.EqualTo(TestBundleFactory.UrlCanary));
        var log = File.ReadAllText(Path.Combine(redacted, "redactions.json"));
        Assert.That(log, Does.Contain("request.postData.text$.data.token").And.Contain(RedactionActions.KeptEvidence));
        var report = await new BundleVerifier(new SubstringRescanner()).VerifyAsync(redacted, null, CancellationToken.None);
        Assert.That(report.Holds, Is.True, report.ToText());
    }

    [Test]
    public async Task An_unsealed_bundle_is_not_redacted()
    {
        var (folder, _) = await _factory.CreateUnsealedAsync();
        using var key = await _factory.Keys.LoadOrCreateAsync(CancellationToken.None);
        Assert.ThrowsAsync<BadInputException>(() => new BundleRedactor(new RedactionPolicy()).RedactAsync(folder, _factory.NewFolder("out"), key, CancellationToken.None));
    }

    [Test]
    public void Field_names_match_ignoring_case_dashes_and_underscores()
    {
        var policy = new RedactionPolicy { ExtraFields = ["imei"] };
        Assert.That(policy.IsTokenField("pass_token"), Is.True);
        Assert.That(policy.IsTokenField("ACCESS-TOKEN"), Is.True);
        Assert.That(policy.IsTokenField("cuserid"), Is.True);
        Assert.That(policy.IsTokenField("IMEI"), Is.True);
        Assert.That(policy.IsTokenField("url"), Is.False);
        Assert.That(policy.IsSecretHeader("proxy-authorization"), Is.True);
        Assert.That(policy.IsSecretHeader("User-Agent"), Is.False);
        _ = Encoding.UTF8;
    }
}
