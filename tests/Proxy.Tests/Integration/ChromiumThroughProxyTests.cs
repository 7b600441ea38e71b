using Harness.TestSupport;
using Harness.Flows;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Integration;

public sealed class ChromiumThroughProxyTests
{
    [Test]
    public async Task HeadlessChromium_LoadsAnHttpsCanaryPage_ThroughTheProxy()
    {
        await using var fx = await ProxyFixture.StartAsync(o => o.CanaryHosts = ["canary.test"]);
        var result = await ChromiumDumpDom.ThroughAsync(fx, "https://canary.test/");
        Assert.That(result.StdOut, Does.Contain("<title>Canary canary.test</title>"), ChromiumDumpDom.Describe(result));
        var flow = await fx.WaitForFlowAsync(f => f.Host == "canary.test" && f.Kind == FlowKind.Http && f.Url == "https://canary.test/");
        Assert.Multiple(() =>
        {
            Assert.That(flow.Tls!.Outcome, Is.EqualTo(TlsOutcome.Intercepted));
            Assert.That(flow.Tls.Sni, Is.EqualTo("canary.test"));
            // Chromium offers h2 and we accept it: header names arrive in lower case, as HTTP/2 requires.
            Assert.That(flow.Tls.Alpn, Is.EqualTo("h2"));
            Assert.That(flow.HttpVersion, Is.EqualTo("HTTP/2.0"));
            Assert.That(flow.RequestHeaders.Select(h => h.Name), Does.Contain("user-agent"));
            Assert.That(flow.StatusCode, Is.EqualTo(200));
        });
    }
}
