using Harness.TestSupport;
using System.Diagnostics;
using System.Globalization;
using Harness.Flows;
using Harness.Proxy.Capture;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Integration;

/// <summary>
/// 1 GiB up and 1 GiB down through `harness proxy` running as its own process, whose peak resident memory
/// (VmHWM) must stay under 300 MB: bodies stream through and only the first 4 MiB are kept.
/// </summary>
public sealed class LargeBodyTests
{
    // Overridable only to debug with a smaller size; the default is the requirement.
    private static readonly long OneGiB = long.TryParse(Environment.GetEnvironmentVariable("HARNESS_LARGE_BODY_BYTES"), out var n) ? n : 1L << 30;

    [Test]
    [Category("Slow")]
    public async Task OneGiBUploadAndDownload_StreamThrough_WithBoundedMemory()
    {
        var curl = RequiredTool.Locate("curl", "apt-get install curl");
        var harnessDll = LocateHarnessDll();
        await using var origin = await LocalOrigin.StartAsync();
        var root = Directory.CreateTempSubdirectory("harness-large-").FullName;
        var storeDir = Path.Combine(root, "store");
        var bigFile = Path.Combine(root, "upload.bin");
        await using (var f = File.Create(bigFile)) f.SetLength(OneGiB); // sparse: no disk or page cache cost

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { harnessDll, "proxy", "--listen", "127.0.0.1:0", "--store", storeDir, "--ca-dir", Path.Combine(root, "ca"), "--upstream", "forward" })
            info.ArgumentList.Add(a);
        using var proxy = Process.Start(info)!;
        try
        {
            var firstLine = await proxy.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "";
            var match = System.Text.RegularExpressions.Regex.Match(firstLine, @"127\.0\.0\.1:(\d+)");
            if (!match.Success) Assert.Fail("proxy did not announce its port: " + firstLine);
            var proxyUrl = "http://127.0.0.1:" + match.Groups[1].Value;

            var up = await ProcessRunner.RunAsync(curl, ["-sS", "--noproxy", "", "-x", proxyUrl, "-T", bigFile, "-X", "POST",
                $"http://127.0.0.1:{origin.HttpPort}/sink"], timeoutSeconds: CurlTimeoutSeconds);
            Assert.That(up.ExitCode, Is.EqualTo(0), up.StdErr);
            Assert.That(up.StdOut, Is.EqualTo(OneGiB.ToString(CultureInfo.InvariantCulture)), "the origin received every byte");

            var down = await ProcessRunner.RunAsync(curl, ["-sS", "--noproxy", "", "-x", proxyUrl, "-o", "/dev/null", "-w", "%{size_download}",
                $"http://127.0.0.1:{origin.HttpPort}/big?bytes={OneGiB}"], timeoutSeconds: CurlTimeoutSeconds);
            Assert.That(down.ExitCode, Is.EqualTo(0), down.StdErr);
            Assert.That(down.StdOut, Is.EqualTo(OneGiB.ToString(CultureInfo.InvariantCulture)));

            var peakKb = long.Parse(File.ReadAllLines($"/proc/{proxy.Id}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            TestContext.Out.WriteLine($"proxy peak RSS (VmHWM): {peakKb / 1024} MB");
            Assert.That(peakKb, Is.LessThan(300 * 1024), "proxy peak memory must stay under 300 MB");

            using (var kill = Process.Start("kill", ["-TERM", proxy.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            await proxy.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That(proxy.ExitCode, Is.EqualTo(0));
            Assert.That(File.Exists(Path.Combine(storeDir, "capture.har")), Is.True, "capture.har written on SIGTERM");

            var flows = FlowStore.ReadDirectory(storeDir);
            var upload = flows.Single(f => f.Url!.EndsWith("/sink", StringComparison.Ordinal));
            Assert.That(upload.RequestBody!.Size, Is.EqualTo(OneGiB));
            Assert.That(upload.RequestBody.Raw.LongLength, Is.EqualTo(Math.Min(OneGiB, FlowStore.DefaultMaxBodyBytes)));
            Assert.That(upload.RequestBody.Truncated, Is.EqualTo(OneGiB > FlowStore.DefaultMaxBodyBytes));
            var download = flows.Single(f => f.Url!.Contains("/big", StringComparison.Ordinal));
            Assert.That(download.ResponseBody!.Size, Is.EqualTo(OneGiB));
            Assert.That(download.ResponseBody.Raw.LongLength, Is.EqualTo(Math.Min(OneGiB, FlowStore.DefaultMaxBodyBytes)));
            var har = HarReader.ReadFile(Path.Combine(storeDir, "capture.har"));
            Assert.That(har.Select(f => f.Id), Is.EquivalentTo(flows.Select(f => f.Id)));
        }
        finally
        {
            if (!proxy.HasExited) proxy.Kill();
            Directory.Delete(root, recursive: true);
        }
    }

    private static int CurlTimeoutSeconds => int.TryParse(Environment.GetEnvironmentVariable("HARNESS_LARGE_BODY_TIMEOUT"), out var t) ? t : 120;

    /// <summary>harness/Cli/bin/&lt;same configuration as this test build&gt;/net10.0/harness.dll.</summary>
    internal static string LocateHarnessDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = dir.Parent?.Name ?? "Debug"; // .../bin/<cfg>/net10.0/
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "repository root (Harness.sln) not found above " + AppContext.BaseDirectory);
        var dll = Path.Combine(dir!.FullName, "harness", "Cli", "bin", configuration, "net10.0", "harness.dll");
        if (!File.Exists(dll)) Assert.Fail($"{dll} is missing: build it first with `dotnet build harness/Cli -c {configuration}`");
        return dll;
    }
}
