using System.Text;
using Harness.Core;

namespace Harness.Cli.Tests.Hardening;

/// <summary>
/// Malformed files given to `harness scan`, through the built CLI: each must give exit 3 and one line naming the file,
/// the line (and column) and the field, with no stack trace unless --verbose.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class ScanBadInputTests
{
    private const string GoodCanaries = """{"canaries":[{"kind":"url","value":"https://canary-q7x.example/p"}],"intended":["canary-q7x.example"]}""";
    private const string GoodHar = """{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[]}}""";

    private static async Task<CliResult> ScanAsync(TempFolder dir, string har, string canaries, string? destinations = null, bool verbose = false)
    {
        var args = new List<string> { "scan", "--har", har, "--canaries", canaries };
        if (destinations is not null) args.AddRange(["--destinations", destinations]);
        if (verbose) args.Add("--verbose");
        return await BuiltCli.RunAsync(args);
    }

    private static void AssertRefused(CliResult result, string file, int? line, string field)
    {
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
        var where = line is { } l ? $"{file}:{l}:" : $"{file}:";
        Assert.That(result.Stderr, Does.Contain(where), "names the file and line: " + result);
        Assert.That(result.Stderr, Does.Contain($": {field}: "), "names the field: " + result);
        Assert.That(result.HasStackTrace, Is.False, "no stack trace without --verbose: " + result);
    }

    [Test]
    public async Task TruncatedCanariesFile_IsRefusedWithLineAndField()
    {
        using var dir = new TempFolder();
        var canaries = dir.File("canaries.json", "{\n  \"canaries\": [\n    {\"kind\": \"url\", \"value\": \"https://can");
        var result = await ScanAsync(dir, dir.File("c.har", GoodHar), canaries);
        AssertRefused(result, canaries, 3, "(json)");
    }

    [Test]
    public async Task CanariesOfWrongType_NameTheField()
    {
        using var dir = new TempFolder();
        var canaries = dir.File("canaries.json", "{\n  \"canaries\": \"https://canary.example\"\n}");
        var result = await ScanAsync(dir, dir.File("c.har", GoodHar), canaries);
        AssertRefused(result, canaries, 2, "canaries");
    }

    [Test]
    public async Task CanaryWithNumberValue_NamesTheEntryField()
    {
        using var dir = new TempFolder();
        var canaries = dir.File("canaries.json", "{\"canaries\":[\n {\"kind\":\"url\",\"value\":\"https://a.example/x\"},\n {\"kind\":\"url\",\"value\":42}\n]}");
        var result = await ScanAsync(dir, dir.File("c.har", GoodHar), canaries);
        AssertRefused(result, canaries, 3, "canaries[1].value");
    }

    [Test]
    public async Task HugeCanariesFile_IsRefusedWithoutCrash()
    {
        using var dir = new TempFolder();
        // 24 MB of nesting: deeper than any JSON reader allows, and far more than a canaries file ever is.
        var canaries = dir.Combine("canaries.json");
        await File.WriteAllTextAsync(canaries, "{\"canaries\":" + new string('[', 24 * 1024 * 1024));
        var result = await ScanAsync(dir, dir.File("c.har", GoodHar), canaries);
        AssertRefused(result, canaries, 1, "canaries[0]");
    }

    [Test]
    public async Task TruncatedHar_IsRefusedWithLineAndField()
    {
        using var dir = new TempFolder();
        var har = dir.File("capture.har", "{\n \"log\": {\n  \"version\": \"1.2\",\n  \"entries\": [\n   {\"startedDateTime\": \"2026-");
        var result = await ScanAsync(dir, har, dir.File("canaries.json", GoodCanaries));
        AssertRefused(result, har, 5, "(json)");
    }

    [Test]
    public async Task HarWithEntriesOfWrongType_NamesLineAndField()
    {
        using var dir = new TempFolder();
        var har = dir.File("capture.har", "{\n \"log\": {\n  \"version\": \"1.2\",\n  \"entries\": {\"not\": \"an array\"}\n }\n}");
        var result = await ScanAsync(dir, har, dir.File("canaries.json", GoodCanaries));
        AssertRefused(result, har, 4, "log.entries");
    }

    [Test]
    public async Task HarEntryWithNumberUrl_NamesLineAndField()
    {
        using var dir = new TempFolder();
        var har = dir.File("capture.har", """
            {"log": {"version": "1.2", "creator": {"name": "t", "version": "1"},
             "entries": [
              {"startedDateTime": "2026-11-25T04:00:00Z", "time": 1,
               "request": {"method": "GET", "url": 12345, "httpVersion": "HTTP/1.1", "headers": []},
               "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [], "content": {"size": 0, "mimeType": "text/plain"}}}
             ]}}
            """);
        var result = await ScanAsync(dir, har, dir.File("canaries.json", GoodCanaries));
        AssertRefused(result, har, 4, "log.entries[0].request.url");
    }

    [Test]
    public async Task HugeHar_IsRefusedWithoutCrash()
    {
        using var dir = new TempFolder();
        var har = dir.Combine("capture.har");
        // 32 MB that starts like a HAR and never becomes one.
        var builder = new StringBuilder("{\"log\":{\"entries\":[");
        builder.Append('"', 1).Append('x', 32 * 1024 * 1024);
        await File.WriteAllTextAsync(har, builder.ToString());
        var result = await ScanAsync(dir, har, dir.File("canaries.json", GoodCanaries));
        AssertRefused(result, har, 1, "(json)");
    }

    [Test]
    public async Task DestinationsOfWrongType_NameTheField()
    {
        using var dir = new TempFolder();
        var destinations = dir.File("destinations.json", "{\n  \"vendor\": [\"miui.com\", 7]\n}");
        var result = await ScanAsync(dir, dir.File("c.har", GoodHar), dir.File("canaries.json", GoodCanaries), destinations);
        AssertRefused(result, destinations, 2, "vendor[1]");
    }

    [Test]
    public async Task MissingFile_IsRefusedNamingTheOption()
    {
        using var dir = new TempFolder();
        var result = await ScanAsync(dir, dir.Combine("absent.har"), dir.File("canaries.json", GoodCanaries));
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
        Assert.That(result.Stderr, Does.Contain("absent.har").And.Contain("--har"), result.ToString());
        Assert.That(result.HasStackTrace, Is.False, result.ToString());
    }

    [Test]
    public async Task Verbose_AddsTheStackTrace()
    {
        using var dir = new TempFolder();
        var canaries = dir.File("canaries.json", "{\"canaries\": [");
        var result = await ScanAsync(dir, dir.File("c.har", GoodHar), canaries, verbose: true);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
        Assert.That(result.HasStackTrace, Is.True, "--verbose prints the stack trace: " + result);
    }
}
