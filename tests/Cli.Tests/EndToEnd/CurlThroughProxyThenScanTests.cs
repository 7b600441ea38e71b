using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Harness.Cli.Tests.Hardening;
using Harness.Leaks;
using Harness.TestSupport;

namespace Harness.Cli.Tests.EndToEnd;

/// <summary>
/// Issue 4's end-to-end proof: requests sent by curl through `harness proxy`, exported as HAR on SIGINT, scanned by
/// `harness scan`, give the expected findings — a Sensors-shaped upload leaks the URL canary, the visit to the canary
/// site itself does not.
/// </summary>
[TestFixture]
public sealed class CurlThroughProxyThenScanTests
{
    [Test]
    public async Task A_sensors_upload_through_the_proxy_is_found_by_scan_and_the_canary_site_is_not()
    {
        var curl = RequiredTool.Locate("curl", "apt-get install curl");
        using var dir = new TempFolder();
        var caDir = dir.Combine("ca");
        var store = dir.Combine("store");
        var canaries = CanarySet.Generate(new Random(4242));
        var url = canaries.Get(CanaryKind.Url)!.Value;
        var host = canaries.Get(CanaryKind.Host)!.Value;

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { BuiltCli.DllPath, "proxy", "--listen", "127.0.0.1:0", "--store", store, "--ca-dir", caDir })
            start.ArgumentList.Add(arg);
        using var proxy = Process.Start(start)!;
        var proxyErr = proxy.StandardError.ReadToEndAsync();
        try
        {
            var first = await proxy.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? "";
            var port = Regex.Match(first, @"listening on 127\.0\.0\.1:(\d+)");
            Assert.That(port.Success, Is.True, $"proxy did not start: {first} {(proxy.HasExited ? await proxyErr : "")}");
            var caPem = dir.Combine("ca.pem");
            var export = await BuiltCli.RunAsync(["ca", "export", "--ca-dir", caDir, "--format", "pem", "-o", caPem]);
            Assert.That(export.ExitCode, Is.EqualTo(0), export.Stderr);

            // What Mint 3.4.0's Sensors SDK posts: base64 of gzip of a JSON array, percent-encoded in a form field.
            var json = $"[{{\"event\":\"page_load_event_finish\",\"properties\":{{\"url\":\"{url}\"}}}}]";
            using var gz = new MemoryStream();
            using (var gzip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(Encoding.UTF8.GetBytes(json));
            var dataList = Convert.ToBase64String(gz.ToArray());
            var body = dir.Combine("body.txt");
            await File.WriteAllTextAsync(body, "crc=1&gzip=1&data_list=" + Uri.EscapeDataString(dataList));

            async Task Curl(params string[] args)
            {
                var info = new ProcessStartInfo(curl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var a in new[] { "-sS", "--max-time", "30", "--cacert", caPem, "-x", $"http://127.0.0.1:{port.Groups[1].Value}", "-o", "/dev/null" }.Concat(args))
                    info.ArgumentList.Add(a);
                using var p = Process.Start(info)!;
                var err = p.StandardError.ReadToEndAsync();
                await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.That(p.ExitCode, Is.EqualTo(0), "curl " + string.Join(' ', args) + ": " + await err);
            }
            await Curl(url);
            await Curl("-H", "Content-Type: application/x-www-form-urlencoded", "--data-binary", "@" + body, "https://sa.api.intl.miui.com/sa?project=global_browser_mini&r=IN");

            using var kill = Process.Start("kill", ["-INT", proxy.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
            await proxy.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!proxy.HasExited) proxy.Kill(entireProcessTree: true);
        }
        var har = Path.Combine(store, "capture.har");
        Assert.That(File.Exists(har), Is.True, "the proxy writes capture.har on SIGINT: " + await proxyErr);
        var canariesFile = dir.Combine("canaries.json");
        await File.WriteAllTextAsync(canariesFile, canaries.ToJson());

        var scan = await BuiltCli.RunAsync(["scan", "--har", har, "--canaries", canariesFile, "--format", "json"]);

        Assert.That(scan.ExitCode, Is.EqualTo(1), "a leak was sent: exit 1\n" + scan.Stdout + scan.Stderr);
        using var report = JsonDocument.Parse(scan.Stdout);
        Assert.That(report.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("fail"));
        var findings = report.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.That(findings.Select(f => f.GetProperty("host").GetString()), Is.All.EqualTo("sa.api.intl.miui.com"), "the canary site itself is the intended destination, not a leak");
        var leak = findings.First(f => f.GetProperty("canaryKind").GetString() == "url");
        Assert.That(leak.GetProperty("destination").GetString(), Is.EqualTo("vendor"));
        var chain = leak.GetProperty("decodeChain").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.That(chain, Has.Some.Contains("base64").And.Some.Contains("gzip"), string.Join(" > ", chain));
        Assert.That(leak.GetProperty("excerpt").GetString(), Does.Contain(url));
        Assert.That(host, Does.Not.Contain("miui"));
    }
}
