using Harness.TestSupport;
using Harness.Flows;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Integration;

public sealed class ChromiumThroughProxyTests
{
    [Test]
    public async Task HeadlessChromium_LoadsAnHttpsCanaryPage_ThroughTheProxy()
    {
        var chromium = RequiredTool.Locate("chromium", "apt-get install chromium");
        await using var fx = await ProxyFixture.StartAsync(o => o.CanaryHosts = ["canary.test"]);
        var profile = Directory.CreateTempSubdirectory("harness-chromium-").FullName;
        try
        {
            var result = await ProcessRunner.RunAsync(chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile,
                "--proxy-server=" + fx.ProxyUrl,
                "--ignore-certificate-errors-spki-list=" + fx.Proxy.ChromiumSpkiList,
                "--dump-dom", "https://canary.test/",
            ], timeoutSeconds: 90);
            Assert.That(result.StdOut, Does.Contain("<title>Canary canary.test</title>"),
                $"exit {result.ExitCode}; stderr tail: " + string.Join("\n", result.StdErr.Split('\n').Where(l => !l.Contains("dbus")).TakeLast(15)));
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
        var flow = await fx.WaitForFlowAsync(f => f.Host == "canary.test" && f.Kind == FlowKind.Http && f.Url == "https://canary.test/");
        Assert.Multiple(() =>
        {
            Assert.That(flow.Tls!.Outcome, Is.EqualTo(TlsOutcome.Intercepted));
            Assert.That(flow.Tls.Sni, Is.EqualTo("canary.test"));
            Assert.That(flow.RequestHeaders.Select(h => h.Name), Does.Contain("User-Agent"));
            Assert.That(flow.StatusCode, Is.EqualTo(200));
        });
    }
}
