using Harness.TestSupport;
using System.Security.Cryptography;
using System.Text;
using Harness.Flows;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Integration;

/// <summary>Real curl through the proxy: plain HTTP, intercepted HTTPS, untrusted CA, and Forward mode to a Kestrel origin.</summary>
public sealed class CurlThroughProxyTests
{
    private static string Curl => RequiredTool.Locate("curl", "apt-get install curl");

    private static string[] Args(ProxyFixture fx, params string[] rest) =>
        ["-sS", "--max-time", "30", "--noproxy", "", "-x", fx.ProxyUrl, .. rest];

    private static async Task<string> TempFileAsync(byte[] content)
    {
        var path = Path.GetTempFileName();
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    private static byte[] BinaryBody(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        return bytes;
    }

    [Test]
    public async Task PlainHttp_Sinkhole_AnswersEmpty200_AndRecordsTheRequest()
    {
        await using var fx = await ProxyFixture.StartAsync();
        var result = await ProcessRunner.RunAsync(Curl, Args(fx, "-w", "%{http_code}", "-H", "X-Probe: CaSe-Kept", "http://tracker.test/collect?u=aHR0cHM6Ly92aXNpdGVk"));
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        Assert.That(result.StdOut, Is.EqualTo("200"));
        var flow = await fx.WaitForFlowAsync(f => f.Host == "tracker.test");
        Assert.Multiple(() =>
        {
            Assert.That(flow.Url, Is.EqualTo("http://tracker.test/collect?u=aHR0cHM6Ly92aXNpdGVk"));
            Assert.That(flow.Method, Is.EqualTo("GET"));
            Assert.That(flow.StatusCode, Is.EqualTo(200));
            Assert.That(flow.RequestHeaders, Does.Contain(new HeaderField("X-Probe", "CaSe-Kept")));
            Assert.That(flow.Tags["answeredBy"], Is.EqualTo("sinkhole"));
            Assert.That(flow.Timings.RequestDone, Is.Not.Null);
            Assert.That(flow.Timings.ResponseDone, Is.Not.Null);
        });
        Assert.That(fx.Store.ReadAll().Select(f => f.Id), Does.Contain(flow.Id), "the flow is in the on-disk store");
    }

    [TestCase("--http1.1", "1.1", "http/1.1", "HTTP/1.1")]
    [TestCase(null, "2", "h2", "HTTP/2.0")]
    public async Task Https_WithOurCa_IsIntercepted_PostBodyByteForByte(string? alpnFlag, string curlVersion, string alpn, string flowVersion)
    {
        await using var fx = await ProxyFixture.StartAsync();
        var body = BinaryBody(300_000);
        var file = await TempFileAsync(body);
        try
        {
            string[] extra = alpnFlag is null ? [] : [alpnFlag];
            var result = await ProcessRunner.RunAsync(Curl, Args(fx, [.. extra, "--cacert", fx.CaPemPath, "-w", "%{http_code} %{http_version}",
                "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + file, "https://secure.example.test/upload?x=1"]));
            Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
            Assert.That(result.StdOut, Is.EqualTo("200 " + curlVersion), "h2 when curl offers it (its default), else HTTP/1.1");
        }
        finally { File.Delete(file); }
        var flow = await fx.WaitForFlowAsync(f => f.Host == "secure.example.test" && f.Kind == FlowKind.Http);
        Assert.Multiple(() =>
        {
            Assert.That(flow.Url, Is.EqualTo("https://secure.example.test/upload?x=1"));
            Assert.That(flow.Tls!.Outcome, Is.EqualTo(TlsOutcome.Intercepted));
            Assert.That(flow.Tls.Sni, Is.EqualTo("secure.example.test"));
            Assert.That(flow.Tls.Alpn, Is.EqualTo(alpn));
            Assert.That(flow.HttpVersion, Is.EqualTo(flowVersion));
            Assert.That(flow.Timings.TlsDone, Is.Not.Null);
            Assert.That(flow.RequestBody!.Size, Is.EqualTo(body.Length));
            Assert.That(SHA256.HashData(flow.RequestBody.Raw), Is.EqualTo(SHA256.HashData(body)));
        });
    }

    [Test]
    public async Task Https_WithoutOurCa_IsRecordedAsClientRejectedUntrusted()
    {
        await using var fx = await ProxyFixture.StartAsync();
        var result = await ProcessRunner.RunAsync(Curl, Args(fx, "https://pinned.example.test/"));
        Assert.That(result.ExitCode, Is.Not.EqualTo(0));
        var flow = await fx.WaitForFlowAsync(f => f.Host == "pinned.example.test");
        Assert.Multiple(() =>
        {
            Assert.That(flow.Kind, Is.EqualTo(FlowKind.Connection));
            Assert.That(flow.Tls!.Outcome, Is.EqualTo(TlsOutcome.ClientRejectedUntrusted), flow.Tls.Detail);
            Assert.That(flow.Tls.Sni, Is.EqualTo("pinned.example.test"));
            Assert.That(flow.Error!.Kind, Is.EqualTo(FlowErrorKind.TlsHandshake));
        });
    }

    [Test]
    public async Task Https_ClientOnlySpeakingOldTls_IsRecordedAsVersionMismatch()
    {
        await using var fx = await ProxyFixture.StartAsync();
        var result = await ProcessRunner.RunAsync(Curl, Args(fx, "--cacert", fx.CaPemPath, "--tlsv1.0", "--tls-max", "1.1", "https://legacy.example.test/"));
        Assert.That(result.ExitCode, Is.Not.EqualTo(0));
        var flow = await fx.WaitForFlowAsync(f => f.Host == "legacy.example.test");
        Assert.That(flow.Tls!.Outcome, Is.EqualTo(TlsOutcome.VersionMismatch), flow.Tls.Detail);
    }

    [Test]
    public async Task ExpectContinue_IsAnsweredAndTheBodyStillArrives()
    {
        await using var fx = await ProxyFixture.StartAsync();
        var body = BinaryBody(5000);
        var file = await TempFileAsync(body);
        try
        {
            var result = await ProcessRunner.RunAsync(Curl, Args(fx, "-H", "Expect: 100-continue", "--expect100-timeout", "20", "--data-binary", "@" + file, "http://expect.test/put"));
            Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        }
        finally { File.Delete(file); }
        var flow = await fx.WaitForFlowAsync(f => f.Host == "expect.test");
        Assert.That(flow.RequestBody!.Raw, Is.EqualTo(body));
    }

    [Test]
    public async Task Forward_HttpAndHttps_ToLocalOrigin_BodiesByteForByte_GzipDecoded()
    {
        await using var origin = await LocalOrigin.StartAsync();
        await using var fx = await ProxyFixture.StartAsync(o =>
        {
            o.UpstreamMode = UpstreamMode.Forward;
            o.UpstreamCertificateValidation = origin.Validator();
        });
        var body = BinaryBody(200_000);
        var file = await TempFileAsync(body);
        var outFile = Path.GetTempFileName();
        try
        {
            foreach (var url in new[] { $"http://127.0.0.1:{origin.HttpPort}/echo", $"https://127.0.0.1:{origin.HttpsPort}/echo" })
            {
                var result = await ProcessRunner.RunAsync(Curl, Args(fx, "--cacert", fx.CaPemPath, "-H", "Content-Type: application/octet-stream",
                    "--data-binary", "@" + file, "-o", outFile, url));
                Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
                Assert.That(await File.ReadAllBytesAsync(outFile), Is.EqualTo(body), "the origin's echo came back intact through the proxy");
                var flow = await fx.WaitForFlowAsync(f => f.Url == url);
                Assert.That(flow.RequestBody!.Raw, Is.EqualTo(body));
                Assert.That(flow.ResponseBody!.Raw, Is.EqualTo(body));
                Assert.That(flow.StatusCode, Is.EqualTo(200));
                Assert.That(flow.Tags["answeredBy"], Is.EqualTo("upstream"));
            }

            var gzipUrl = $"https://127.0.0.1:{origin.HttpsPort}/gzip";
            var gz = await ProcessRunner.RunAsync(Curl, Args(fx, "--cacert", fx.CaPemPath, "--compressed", gzipUrl));
            Assert.That(gz.StdOut, Is.EqualTo(LocalOrigin.GzipText));
            var gzFlow = await fx.WaitForFlowAsync(f => f.Url == gzipUrl);
            Assert.That(gzFlow.ResponseBody!.ContentEncoding, Is.EqualTo("gzip"));
            Assert.That(Encoding.UTF8.GetString(gzFlow.ResponseBody.Decoded!), Is.EqualTo(LocalOrigin.GzipText));
        }
        finally
        {
            File.Delete(file);
            File.Delete(outFile);
        }
    }

    [Test]
    public async Task Forward_OriginCertificateNotTrusted_IsAnUpstreamErrorAnd502()
    {
        await using var origin = await LocalOrigin.StartAsync();
        await using var fx = await ProxyFixture.StartAsync(o => o.UpstreamMode = UpstreamMode.Forward);
        var url = $"https://127.0.0.1:{origin.HttpsPort}/hello";
        var result = await ProcessRunner.RunAsync(Curl, Args(fx, "--cacert", fx.CaPemPath, "-w", "%{http_code}", "-o", "/dev/null", url));
        Assert.That(result.StdOut, Is.EqualTo("502"));
        var flow = await fx.WaitForFlowAsync(f => f.Url == url);
        Assert.That(flow.Error!.Kind, Is.EqualTo(FlowErrorKind.UpstreamError));
    }

    [Test]
    public async Task Forward_OriginDown_IsAnUpstreamErrorAnd502()
    {
        int closedPort;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using var fx = await ProxyFixture.StartAsync(o => o.UpstreamMode = UpstreamMode.Forward);
        var url = $"http://127.0.0.1:{closedPort}/x";
        var result = await ProcessRunner.RunAsync(Curl, Args(fx, "-w", "%{http_code}", "-o", "/dev/null", url));
        Assert.That(result.StdOut, Is.EqualTo("502"));
        var flow = await fx.WaitForFlowAsync(f => f.Url == url);
        Assert.That(flow.Error!.Kind, Is.EqualTo(FlowErrorKind.UpstreamError));
        Assert.That(flow.Error.Message, Does.Contain($"127.0.0.1:{closedPort}"));
    }

    [Test]
    public async Task CanaryHost_TakesPrecedenceOverForward()
    {
        await using var fx = await ProxyFixture.StartAsync(o =>
        {
            o.UpstreamMode = UpstreamMode.Forward;
            o.CanaryHosts = ["canary.test"];
        });
        var result = await ProcessRunner.RunAsync(Curl, Args(fx, "--cacert", fx.CaPemPath, "https://canary.test/page?id=7"));
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        Assert.That(result.StdOut, Does.Contain("<title>Canary canary.test</title>").And.Contain("https://canary.test/page?id=7"));
        var flow = await fx.WaitForFlowAsync(f => f.Host == "canary.test");
        Assert.That(flow.Tags["answeredBy"], Is.EqualTo("canary"));
    }
}
