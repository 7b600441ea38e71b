using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Flows;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Har;

/// <summary>
/// Our HAR export checked by an independent judge: npm's har-validator (the HAR 1.2 JSON schema), run with node on
/// a HAR exported from a real capture. Needs `npm ci` (package.json lists har-validator).
/// </summary>
[NonParallelizable]
public sealed class HarSchemaValidationTests
{
    private RecordedCapture? _capture;

    private async Task<RecordedCapture> CaptureAsync() => _capture ??= await RecordedCapture.RecordAsync();

    private static string Script => Path.Combine(NpmPackage.RepositoryRoot(), "tests", "Proxy.Tests", "Har", "validate-har.js");

    private static async Task<ProcessResult> ValidateAsync(byte[] har)
    {
        NpmPackage.Require("har-validator");
        var node = NpmPackage.Node;
        var file = Path.Combine(Path.GetTempPath(), $"harness-{Guid.NewGuid():N}.har");
        try
        {
            await File.WriteAllBytesAsync(file, har);
            return await ProcessRunner.RunAsync(node, [Script, file]);
        }
        finally { File.Delete(file); }
    }

    [Test]
    public async Task RealCapture_ExportedHar_PassesHarValidator()
    {
        NpmPackage.Require("har-validator");
        var capture = await CaptureAsync();
        var result = await ValidateAsync(capture.Har);
        Assert.That(result.ExitCode, Is.EqualTo(0), "har-validator rejected our HAR:\n" + result.StdOut + result.StdErr);
        Assert.That(result.StdOut.Trim(), Is.EqualTo("valid"));
    }

    [Test]
    public async Task RealCapture_HoldsEveryKindOfEntryTheValidatorJudged()
    {
        // Guards the test above: a capture that silently lost its hard cases would validate trivially.
        var capture = await CaptureAsync();
        var entries = JsonNode.Parse(capture.Har)!["log"]!["entries"]!.AsArray();
        Assert.That(entries, Has.Count.EqualTo(capture.Flows.Count));
        var byUrl = entries.ToLookup(e => (string?)e!["request"]!["url"]);
        var binary = byUrl[capture.BinaryUrl].Single()!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)binary["response"]!["content"]!["encoding"], Is.EqualTo("base64"));
            Assert.That(Convert.FromBase64String((string)binary["response"]!["content"]!["text"]!), Is.EqualTo(capture.BinaryBody));
            Assert.That((string?)binary["request"]!["postData"]!["_encoding"], Is.EqualTo("base64"));
            Assert.That((string?)byUrl[capture.TextUrl].Single()!["response"]!["content"]!["text"], Is.EqualTo("hello from origin"));
            Assert.That((string?)byUrl[capture.GzipUrl].Single()!["response"]!["content"]!["text"], Is.EqualTo(LocalOrigin.GzipText));
            Assert.That(entries.Count(e => (int)e!["response"]!["status"]! == 0 && e["_tls"] is not null), Is.EqualTo(1), "the refused TLS handshake");
            Assert.That(byUrl[capture.WebSocketUrl].Single()!["_webSocketMessages"]!.AsArray(), Has.Count.EqualTo(4));
        });
    }

    [Test]
    public async Task SampleFlows_WithTruncatedAndDecodedBodies_PassHarValidator()
    {
        NpmPackage.Require("har-validator");
        using var ms = new MemoryStream();
        HarWriter.Write(HarTests.SampleFlows(), ms);
        var result = await ValidateAsync(ms.ToArray());
        Assert.That(result.ExitCode, Is.EqualTo(0), "har-validator rejected our HAR:\n" + result.StdOut + result.StdErr);
    }

    [Test]
    public async Task HarValidator_RejectsAnEntryWithoutRequest_AndNamesIt()
    {
        // Proves the validator run can fail: the same export with one required field removed.
        NpmPackage.Require("har-validator");
        var capture = await CaptureAsync();
        var har = JsonNode.Parse(capture.Har)!;
        har["log"]!["entries"]![0]!.AsObject().Remove("request");
        var result = await ValidateAsync(JsonSerializer.SerializeToUtf8Bytes(har));
        Assert.That(result.ExitCode, Is.EqualTo(1), result.StdOut + result.StdErr);
        Assert.That(result.StdOut, Does.Contain("request"));
    }
}
