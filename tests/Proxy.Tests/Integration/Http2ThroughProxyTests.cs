using System.Text;
using Harness.Flows;
using Harness.Proxy.Http2Proxy;
using Harness.Proxy.Tests.Support;
using Harness.TestSupport;

namespace Harness.Proxy.Tests.Integration;

/// <summary>
/// HTTP/2 through the proxy with real clients (curl, nghttp) in forward mode to a real nginx (h2 over TLS, h2c, and
/// HTTP/1.1): h2 is negotiated with the client and, when the origin chooses it, with the origin; every stream is its own
/// flow with its own body, recorded as HTTP/2.0, and the HAR of those flows passes har-validator.
/// </summary>
public sealed class Http2ThroughProxyTests
{
    private const string Host = "h2.origin.test";

    private static string Curl => RequiredTool.Locate("curl", "apt-get install curl");
    private static string Nghttp => RequiredTool.Locate("nghttp", "apt-get install nghttp2-client");

    private static Task<ProxyFixture> StartProxyAsync(NginxOrigin origin, int httpsPort) => ProxyFixture.StartAsync(o =>
    {
        o.UpstreamMode = UpstreamMode.Forward;
        o.UpstreamCertificateValidation = UpstreamTrust.SystemStorePlus(UpstreamTrust.LoadRoots(origin.CaPemPath));
        o.ConnectTo = new[] { $"{Host}:443=127.0.0.1:{httpsPort}", $"{Host}:80=127.0.0.1:{origin.PlainPort}" }
            .Select(text => ConnectToRule.TryParse(text, out var rule, out var error) ? rule! : throw new AssertionException(error))
            .ToList();
    });

    private static byte[] Pattern(int size) => Enumerable.Range(0, size).Select(i => (byte)('a' + i % 26)).ToArray();

    [Test]
    public async Task CurlHttp2_MultiplexedStreams_AreH2OnBothSides_OneFlowEach_AndTheHarValidates()
    {
        await using var origin = await NginxOrigin.StartAsync([Host], "h2 origin", bodySizes: [1024, 65536]);
        await using var fx = await StartProxyAsync(origin, origin.Http2Port);
        var urls = new[] { $"https://{Host}/host", $"https://{Host}/bytes?n=1024", $"https://{Host}/bytes?n=65536" };
        // -Z: the three transfers in parallel, multiplexed as streams of one HTTP/2 connection.
        string[] args = ["-sS", "--max-time", "30", "--noproxy", "", "-x", fx.ProxyUrl, "--cacert", fx.CaPemPath, "--http2", "-Z", "-w", "%{http_version}\\n",
            .. urls.SelectMany(u => new[] { u, "-o", "/dev/null" })];
        var result = await ProcessRunner.RunAsync(Curl, args);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        Assert.That(result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "2", "2", "2" }), "curl spoke h2 with the proxy");

        var flows = new List<Flow>();
        foreach (var url in urls) flows.Add(await fx.WaitForFlowAsync(f => f.Url == url));
        Assert.Multiple(() =>
        {
            foreach (var flow in flows)
            {
                Assert.That(flow.HttpVersion, Is.EqualTo("HTTP/2.0"), flow.Url);
                Assert.That(flow.Tls!.Alpn, Is.EqualTo("h2"), flow.Url);
                Assert.That(flow.StatusCode, Is.EqualTo(200), flow.Url);
                Assert.That(flow.Error, Is.Null, flow.Url);
                Assert.That(flow.Tags[Http2StreamExchange.UpstreamProtocolTag], Is.EqualTo("h2"), flow.Url);
            }
            Assert.That(Encoding.ASCII.GetString(flows[0].ResponseBody!.Raw).Trim(), Is.EqualTo($"host={Host} sni={Host} proto=HTTP/2.0"), "the origin served the stream over h2");
            Assert.That(flows[1].ResponseBody!.Raw, Is.EqualTo(Pattern(1024)));
            Assert.That(flows[2].ResponseBody!.Raw, Is.EqualTo(Pattern(65536)));
            Assert.That(flows.Select(f => f.Id).Distinct().Count(), Is.EqualTo(3));
        });

        NpmPackage.Require("har-validator");
        var har = Path.Combine(fx.Root, "h2.har");
        HarWriter.WriteFile(flows, har);
        Assert.That(File.ReadAllText(har), Does.Contain("\"httpVersion\": \"HTTP/2.0\"").Or.Contain("\"httpVersion\":\"HTTP/2.0\""));
        var validation = await ProcessRunner.RunAsync(NpmPackage.Node, [Path.Combine(NpmPackage.RepositoryRoot(), "tests", "Proxy.Tests", "Har", "validate-har.js"), har]);
        Assert.That(validation.ExitCode, Is.EqualTo(0), "har-validator rejected the HAR:\n" + validation.StdOut + validation.StdErr);
    }

    [Test]
    public async Task CurlHttp2_ToAnHttp11Origin_IsTranslated_WithTheBodyIntact()
    {
        await using var origin = await NginxOrigin.StartAsync([Host], "h1 origin", bodySizes: [65536]);
        await using var fx = await StartProxyAsync(origin, origin.TrustedPort);
        var result = await ProcessRunner.RunAsync(Curl, ["-sS", "--max-time", "30", "--noproxy", "", "-x", fx.ProxyUrl, "--cacert", fx.CaPemPath, "--http2",
            "-w", "%{http_version}", "-o", "/dev/null", $"https://{Host}/bytes?n=65536"]);
        Assert.That((result.ExitCode, result.StdOut), Is.EqualTo((0, "2")), result.StdErr);
        var flow = await fx.WaitForFlowAsync(f => f.Url == $"https://{Host}/bytes?n=65536");
        Assert.Multiple(() =>
        {
            Assert.That(flow.HttpVersion, Is.EqualTo("HTTP/2.0"));
            Assert.That(flow.Tags[Http2StreamExchange.UpstreamProtocolTag], Is.EqualTo("http/1.1"));
            Assert.That(flow.ResponseBody!.Raw, Is.EqualTo(Pattern(65536)));
        });
    }

    [Test]
    public async Task CurlH2cPriorKnowledge_InsideAConnectTunnel_IsServedAsHttp2()
    {
        await using var origin = await NginxOrigin.StartAsync([Host], "h2c");
        await using var fx = await StartProxyAsync(origin, origin.Http2Port);
        var result = await ProcessRunner.RunAsync(Curl, ["-sS", "--max-time", "30", "--noproxy", "", "-x", fx.ProxyUrl, "--proxytunnel",
            "--http2-prior-knowledge", "-w", "\\n%{http_version}", $"http://{Host}/host"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        Assert.That(result.StdOut, Is.EqualTo($"host={Host}\n\n2"));
        var flow = await fx.WaitForFlowAsync(f => f.Url == $"http://{Host}/host");
        Assert.Multiple(() =>
        {
            Assert.That(flow.HttpVersion, Is.EqualTo("HTTP/2.0"));
            Assert.That(flow.Tls, Is.Null);
            Assert.That(Encoding.ASCII.GetString(flow.ResponseBody!.Raw), Is.EqualTo($"host={Host}\n"));
        });
    }

    [Test]
    public async Task Nghttp_H2cPriorKnowledge_ConcurrentStreams_AreOneFlowEach()
    {
        await using var origin = await NginxOrigin.StartAsync([Host], "nghttp", bodySizes: [1024, 65536]);
        await using var fx = await StartProxyAsync(origin, origin.Http2Port);
        var proxy = $"http://127.0.0.1:{fx.Proxy.LocalEndPoint.Port}";
        // nghttp speaks h2c with prior knowledge to http:// URIs, all streams on one connection; :authority names the origin.
        var result = await ProcessRunner.RunAsync(Nghttp, ["-n", "-s", "-H", $":authority: {Host}", $"{proxy}/bytes-1024", $"{proxy}/bytes-65536", $"{proxy}/host"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdOut + result.StdErr);
        var small = await fx.WaitForFlowAsync(f => f.Url == $"http://{Host}/bytes-1024");
        var large = await fx.WaitForFlowAsync(f => f.Url == $"http://{Host}/bytes-65536");
        var host = await fx.WaitForFlowAsync(f => f.Url == $"http://{Host}/host");
        Assert.Multiple(() =>
        {
            Assert.That(new[] { small, large, host }.Select(f => f.HttpVersion), Is.All.EqualTo("HTTP/2.0"));
            Assert.That(small.ResponseBody!.Raw, Is.EqualTo(Pattern(1024)));
            Assert.That(large.ResponseBody!.Raw, Is.EqualTo(Pattern(65536)));
            Assert.That(Encoding.ASCII.GetString(host.ResponseBody!.Raw), Is.EqualTo($"host={Host}\n"));
        });
    }

    [Test]
    public async Task HeadlessChromium_NegotiatesH2WithTheProxyAndTheProxyWithAnH2Origin()
    {
        await using var origin = await NginxOrigin.StartAsync([Host], "Chromium over h2");
        await using var fx = await StartProxyAsync(origin, origin.Http2Port);
        var result = await ChromiumDumpDom.ThroughAsync(fx, $"https://{Host}/");
        Assert.That(result.StdOut, Does.Contain("<title>Chromium over h2</title>").And.Contain(NginxOrigin.Marker), ChromiumDumpDom.Describe(result));
        var flow = await fx.WaitForFlowAsync(f => f.Url == $"https://{Host}/" && f.Kind == FlowKind.Http);
        Assert.Multiple(() =>
        {
            Assert.That(flow.Tls!.Alpn, Is.EqualTo("h2"));
            Assert.That(flow.HttpVersion, Is.EqualTo("HTTP/2.0"));
            Assert.That(flow.Tags[Http2StreamExchange.UpstreamProtocolTag], Is.EqualTo("h2"));
            Assert.That(Encoding.UTF8.GetString(flow.ResponseBody!.Raw), Does.Contain(NginxOrigin.Marker));
        });
    }

    [Test]
    public async Task ResponseTrailersFromAnH2Origin_ReachTheClient_AndAreKeptOnTheFlow()
    {
        await using var origin = await LocalOrigin.StartAsync(http2: true);
        await using var fx = await ProxyFixture.StartAsync(o =>
        {
            o.UpstreamMode = UpstreamMode.Forward;
            o.UpstreamCertificateValidation = origin.Validator();
        });
        var ca = fx.Ca.PublicCertificate;
        using var client = new HttpClient(new SocketsHttpHandler
        {
            Proxy = new System.Net.WebProxy(fx.ProxyUrl),
            UseProxy = true,
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => CustomRootTrust.Validates(cert, ca) },
        })
        { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var url = $"https://127.0.0.1:{origin.HttpsPort}/trailers";
        using var response = await client.GetAsync(url);
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("body before trailers"));
        Assert.That(response.Version, Is.EqualTo(System.Net.HttpVersion.Version20));
        Assert.That(response.TrailingHeaders.TryGetValues(LocalOrigin.TrailerName, out var values) ? values.Single() : null, Is.EqualTo(LocalOrigin.TrailerValue));
        var flow = await fx.WaitForFlowAsync(f => f.Url == url);
        Assert.Multiple(() =>
        {
            Assert.That(flow.Tags[Http2StreamExchange.UpstreamProtocolTag], Is.EqualTo("h2"));
            Assert.That(flow.ResponseTrailers, Is.EqualTo(new[] { new HeaderField(LocalOrigin.TrailerName, LocalOrigin.TrailerValue) }));
            Assert.That(Encoding.ASCII.GetString(flow.ResponseBody!.Raw), Is.EqualTo("body before trailers"));
        });
    }

    [Test]
    public async Task ClientBreakingHttp2_GetsGoAway_AndTheConnectionIsRecordedAsAProtocolError()
    {
        await using var fx = await ProxyFixture.StartAsync();
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync("127.0.0.1", fx.Proxy.LocalEndPoint.Port);
        var stream = socket.GetStream();
        // The h2c preface, an empty SETTINGS, then DATA on stream 0: a connection error (RFC 9113 6.1).
        byte[] wire = [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        await stream.WriteAsync(wire);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new MemoryStream();
        await stream.CopyToAsync(received, timeout.Token);
        var bytes = received.ToArray();
        var sawGoAway = false;
        for (var at = 0; at + 9 <= bytes.Length; at += 9 + ((bytes[at] << 16) | (bytes[at + 1] << 8) | bytes[at + 2]))
            sawGoAway |= bytes[at + 3] == 0x7;
        Assert.That(sawGoAway, Is.True, "the proxy answered with GOAWAY");
        var flow = await fx.WaitForFlowAsync(f => f.Kind == FlowKind.Connection);
        Assert.That(flow.Error!.Kind, Is.EqualTo(FlowErrorKind.ProtocolError));
        Assert.That(flow.HttpVersion, Is.EqualTo("HTTP/2.0"));
    }

    [Test]
    public async Task ConcurrentUploadsToARefusingOrigin_EachGet502_AndAFlowOfTheirOwn()
    {
        await using var fx = await ProxyFixture.StartAsync(o => o.UpstreamMode = UpstreamMode.Forward);
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        var upload = Path.Combine(fx.Root, "upload.bin");
        await File.WriteAllBytesAsync(upload, Pattern(1 << 20));
        // 24 uploads of 1 MiB as streams of one connection, to an origin that refuses connections.
        var proxy = $"http://127.0.0.1:{fx.Proxy.LocalEndPoint.Port}";
        var result = await ProcessRunner.RunAsync(Nghttp, ["-n", "-s", "-t", "60", "-m", "24", "-d", upload, "-H", $":authority: 127.0.0.1:{closedPort}", $"{proxy}/up"], timeoutSeconds: 120);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdOut + result.StdErr);
        var seen = new HashSet<string>();
        for (var i = 0; i < 24; i++)
            await fx.WaitForFlowAsync(f => f.Url == $"http://127.0.0.1:{closedPort}/up" && f.Tags.GetValueOrDefault("proxyStatus") == "502" && f.HttpVersion == "HTTP/2.0" && seen.Add(f.Id));
        Assert.That(seen, Has.Count.EqualTo(24));
    }
}
