using System.Diagnostics;
using System.Text.Json;
using Harness.Flows;

namespace Harness.Leaks.Tests;

/// <summary>
/// `harness scan` on a HAR written by the proxy's HarWriter, run as the real built CLI (harness.dll).
/// The CLI is built separately (dotnet build harness/Cli); without it the test is skipped, or fails under CI=true.
/// </summary>
public sealed class CliEndToEndTests
{
    private readonly ScanFixture _f = new(seed: 77);
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "h4-scan-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string WriteHar(params Flow[] flows)
    {
        var path = Path.Combine(_dir, "capture.har");
        HarWriter.WriteFile(flows, path);
        return path;
    }

    private string WriteCanaries(string? text = null)
    {
        var path = Path.Combine(_dir, "canaries.json");
        File.WriteAllText(path, text ?? _f.Canaries.ToJson());
        return path;
    }

    [Test]
    public void Har_round_trip_keeps_what_the_scanner_needs()
    {
        var har = WriteHar(TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events(_f.Url))));
        var flows = HarReader.ReadFile(har);
        var finding = ScanFixture.Single(_f.Scanner.Scan(flows, new ScanRequest { Canaries = _f.Canaries }), CanaryKind.Url);
        Assert.That(finding.Location, Is.EqualTo("body > sensors data_list gzip=1 crc ok > base64 > gzip > event[3] page_load_event_finish > json $.properties.url"));
    }

    [Test]
    public void Leak_in_a_sensors_post_exits_1_with_json_findings()
    {
        var leak = TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events(_f.Url)));
        var page = TestFlows.Get(_f.Url);
        var (exit, stdout, stderr) = RunHarness("scan", "--har", WriteHar(page, leak), "--canaries", WriteCanaries(), "--format", "json");
        Assert.That(exit, Is.EqualTo(1), stderr + stdout);
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("fail"));
        var findings = doc.RootElement.GetProperty("findings");
        Assert.That(findings.GetArrayLength(), Is.EqualTo(1));
        Assert.That(findings[0].GetProperty("flowId").GetString(), Is.EqualTo(leak.Id));
        Assert.That(findings[0].GetProperty("host").GetString(), Is.EqualTo("sa.api.intl.miui.com"));
        Assert.That(findings[0].GetProperty("destination").GetString(), Is.EqualTo("vendor"));
        Assert.That(findings[0].GetProperty("canaryKind").GetString(), Is.EqualTo("url"));
        Assert.That(findings[0].GetProperty("decodeChain").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "sensors", "base64", "gzip", "sensors-event", "json" }));
        Assert.That(findings[0].GetProperty("excerpt").GetString(), Does.Contain("«"));
    }

    [Test]
    public void Clean_capture_exits_0_and_vendor_pinning_exits_2()
    {
        var clean = TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events("https://example.org/")));
        var canaries = WriteCanaries();
        var (exit, stdout, stderr) = RunHarness("scan", "--har", WriteHar(clean), "--canaries", canaries);
        Assert.That(exit, Is.EqualTo(0), stderr + stdout);
        Assert.That(stdout, Does.Contain("verdict: pass"));

        var pinned = TestFlows.Get("https://data.mistat.intl.xiaomi.com/");
        pinned.Kind = FlowKind.Connection;
        pinned.Method = null;
        pinned.Url = null;
        pinned.Tls = new TlsInfo { Sni = pinned.Host, Outcome = TlsOutcome.ClientClosedDuringHandshake };
        pinned.Error = new FlowError(FlowErrorKind.TlsHandshake, "closed");
        (exit, stdout, stderr) = RunHarness("scan", "--har", WriteHar(clean, pinned), "--canaries", canaries);
        Assert.That(exit, Is.EqualTo(2), stderr + stdout);
        Assert.That(stdout, Does.Contain("GAP").And.Contain("data.mistat.intl.xiaomi.com"));
    }

    [Test]
    public void Malformed_canaries_exit_3_naming_file_line_and_field()
    {
        var canaries = WriteCanaries("{\n \"canaries\": [\n  {\"kind\": \"nope\", \"value\": \"x\"}\n ]\n}");
        var (exit, _, stderr) = RunHarness("scan", "--har", WriteHar(TestFlows.Get("https://example.org/")), "--canaries", canaries);
        Assert.That(exit, Is.EqualTo(3));
        Assert.That(stderr, Does.Contain(canaries + ":3:").And.Contain("canaries[0].kind"));
    }

    private static (int Exit, string Stdout, string Stderr) RunHarness(params string[] args)
    {
        var dll = FindHarnessDll();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("harness scan did not finish in 2 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindHarnessDll()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) dir = dir.Parent;
        var candidates = dir is null ? [] : new[] { "Debug", "Release" }
            .Select(c => Path.Combine(dir.FullName, "harness", "Cli", "bin", c, "net10.0", "harness.dll")).Where(File.Exists).ToArray();
        if (candidates.Length > 0) return candidates.OrderByDescending(File.GetLastWriteTimeUtc).First();
        const string message = "harness.dll not built: run `dotnet build harness/Cli/Harness.Cli.csproj` first";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(message);
        Assert.Ignore(message);
        return "";
    }
}
