using Harness.Flows;
using Harness.Proxy.Tests.Support;
using Harness.TestSupport;

namespace Harness.Proxy.Tests.Integration;

/// <summary>
/// Forward mode against a real origin (Debian's nginx with its own CA, started by the test on loopback) that clients
/// name by host; connect-to says where those names live, as a lab with split DNS would. Curl and headless Chromium get
/// the origin's own page over HTTPS; every upstream failure is a 502/504 with its cause on the flow, never a silent 200.
/// </summary>
public sealed class ForwardToNginxOriginTests
{
    private const string Host = "www.origin.test";
    private const string UntrustedHost = "untrusted.origin.test";

    private static string Curl => RequiredTool.Locate("curl", "apt-get install curl");

    private static Task<ProxyFixture> StartProxyAsync(NginxOrigin origin, params string[] extraRules) => ProxyFixture.StartAsync(o =>
    {
        o.UpstreamMode = UpstreamMode.Forward;
        o.UpstreamCertificateValidation = UpstreamTrust.SystemStorePlus(UpstreamTrust.LoadRoots(origin.CaPemPath));
        o.ConnectTo = new[] { $"{Host}:443=127.0.0.1:{origin.TrustedPort}", $"{Host}:80=127.0.0.1:{origin.PlainPort}", $"{UntrustedHost}=127.0.0.1:{origin.UntrustedPort}" }
            .Concat(extraRules)
            .Select(text => ConnectToRule.TryParse(text, out var rule, out var error) ? rule! : throw new AssertionException(error))
            .ToList();
    });

    private static string[] CurlArgs(ProxyFixture fx, params string[] rest) =>
        ["-sS", "--max-time", "30", "--noproxy", "", "-x", fx.ProxyUrl, "--cacert", fx.CaPemPath, .. rest];

    [Test]
    public async Task Curl_GetsTheOriginsOwnPage_OverHttpsAndHttp_ThroughConnectTo()
    {
        await using var origin = await NginxOrigin.StartAsync([Host, UntrustedHost], "Origin page");
        await using var fx = await StartProxyAsync(origin);

        var https = await ProcessRunner.RunAsync(Curl, CurlArgs(fx, $"https://{Host}/"));
        Assert.That(https.ExitCode, Is.EqualTo(0), https.StdErr);
        Assert.That(https.StdOut, Is.EqualTo(NginxOrigin.PageFor("Origin page")));
        var sni = await ProcessRunner.RunAsync(Curl, CurlArgs(fx, $"https://{Host}/host"));
        Assert.That(sni.StdOut.Trim(), Is.EqualTo($"host={Host} sni={Host}"), "the origin was asked for the original name, in Host and in SNI");
        var plain = await ProcessRunner.RunAsync(Curl, CurlArgs(fx, $"http://{Host}/host"));
        Assert.That(plain.StdOut.Trim(), Is.EqualTo($"host={Host}"), plain.StdErr);

        var flow = await fx.WaitForFlowAsync(f => f.Url == $"https://{Host}/");
        Assert.Multiple(() =>
        {
            Assert.That(flow.StatusCode, Is.EqualTo(200));
            Assert.That(flow.Tags["answeredBy"], Is.EqualTo("upstream"));
            Assert.That(flow.Error, Is.Null);
            Assert.That(System.Text.Encoding.UTF8.GetString(flow.ResponseBody!.Raw!), Does.Contain(NginxOrigin.Marker));
        });
    }

    [Test]
    public async Task Chromium_LoadsTheOriginsPage_ThroughTheForwardingProxy()
    {
        await using var origin = await NginxOrigin.StartAsync([Host, UntrustedHost], "Chromium reached the origin");
        await using var fx = await StartProxyAsync(origin);
        var result = await ChromiumDumpDom.ThroughAsync(fx, $"https://{Host}/");
        Assert.That(result.StdOut, Does.Contain("<title>Chromium reached the origin</title>").And.Contain(NginxOrigin.Marker), ChromiumDumpDom.Describe(result));
        var flow = await fx.WaitForFlowAsync(f => f.Url == $"https://{Host}/" && f.Kind == FlowKind.Http);
        Assert.That(flow.Tags["answeredBy"], Is.EqualTo("upstream"));
        Assert.That(flow.Tls!.Outcome, Is.EqualTo(TlsOutcome.Intercepted));
    }

    [Test]
    public async Task AnOriginWithAnUntrustedCertificate_Is502_WithTheTlsFailureOnTheFlow()
    {
        await using var origin = await NginxOrigin.StartAsync([Host, UntrustedHost]);
        await using var fx = await StartProxyAsync(origin);
        var result = await ProcessRunner.RunAsync(Curl, CurlArgs(fx, "-w", "%{http_code}", "-o", "/dev/null", $"https://{UntrustedHost}/"));
        Assert.That(result.StdOut, Is.EqualTo("502"));
        var flow = await fx.WaitForFlowAsync(f => f.Url == $"https://{UntrustedHost}/");
        Assert.Multiple(() =>
        {
            Assert.That(flow.Error!.Kind, Is.EqualTo(FlowErrorKind.UpstreamError));
            Assert.That(flow.Tags[UpstreamFailureCause.TagName], Is.EqualTo("tls"));
            Assert.That(flow.Error.Message, Does.Contain(UntrustedHost));
            Assert.That(flow.Tags["proxyStatus"], Is.EqualTo("502"));
        });
    }

    [Test]
    public async Task WithoutTheExtraCa_TheOriginsOwnCertificateIsRefusedToo()
    {
        await using var origin = await NginxOrigin.StartAsync([Host]);
        await using var fx = await ProxyFixture.StartAsync(o =>
        {
            o.UpstreamMode = UpstreamMode.Forward;
            ConnectToRule.TryParse($"{Host}=127.0.0.1:{origin.TrustedPort}", out var rule, out _);
            o.ConnectTo = [rule!];
        });
        var result = await ProcessRunner.RunAsync(Curl, CurlArgs(fx, "-w", "%{http_code}", "-o", "/dev/null", $"https://{Host}/"));
        Assert.That(result.StdOut, Is.EqualTo("502"), "the system store alone does not know the lab's CA");
        var flow = await fx.WaitForFlowAsync(f => f.Url == $"https://{Host}/");
        Assert.That(flow.Tags[UpstreamFailureCause.TagName], Is.EqualTo("tls"));
    }

    [Test]
    public async Task UnresolvableAndRefusedOrigins_Are502_WithTheirCause()
    {
        await using var origin = await NginxOrigin.StartAsync([Host]);
        int closedPort;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        // .invalid never resolves (RFC 6761), so no lookup leaves the machine with an answer.
        await using var fx = await StartProxyAsync(origin, $"down.origin.test=127.0.0.1:{closedPort}");
        foreach (var (url, cause) in new[] { ("http://no-such-host.invalid/", "dns"), ("http://down.origin.test/", "refused") })
        {
            var result = await ProcessRunner.RunAsync(Curl, CurlArgs(fx, "-w", "%{http_code}", "-o", "/dev/null", url));
            Assert.That(result.StdOut, Is.EqualTo("502"), url);
            var flow = await fx.WaitForFlowAsync(f => f.Url == url);
            Assert.That(flow.Error!.Kind, Is.EqualTo(FlowErrorKind.UpstreamError), url);
            Assert.That(flow.Tags[UpstreamFailureCause.TagName], Is.EqualTo(cause), flow.Error.Message);
        }
    }
}
