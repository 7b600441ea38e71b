using System.Security.Cryptography;
using Harness.Proxy.Tests.Support;
using Harness.TestSupport;

namespace Harness.Proxy.Tests.Http2;

/// <summary>
/// The server role against real HTTP/2 clients without the proxy: curl (libcurl with nghttp2) with prior knowledge
/// and over TLS, and nghttp, many streams on one connection and a 1 MiB upload echoed back through both sides' windows.
/// </summary>
public sealed class Http2ServerInteropTests
{
    private static string Curl => RequiredTool.Locate("curl", "apt-get install curl");
    private static string Nghttp => RequiredTool.Locate("nghttp", "apt-get install nghttp2-client");

    [TestCase(false, TestName = "Curl_H2cPriorKnowledge_GetAndOneMegabyteEcho")]
    [TestCase(true, TestName = "Curl_Http2OverTls_GetAndOneMegabyteEcho")]
    public async Task Curl_GetAndOneMegabyteEcho(bool tls)
    {
        await using var server = Http2LoopbackServer.Start(tls);
        var work = Directory.CreateTempSubdirectory("harness-h2-curl-").FullName;
        try
        {
            var upload = Path.Combine(work, "upload.bin");
            var echoed = Path.Combine(work, "echoed.bin");
            await File.WriteAllBytesAsync(upload, RandomNumberGenerator.GetBytes(1 << 20));
            string[] mode = tls ? ["--http2", "-k"] : ["--http2-prior-knowledge"];
            string[] hello = [.. mode, "-w", "%{http_version} %{response_code}\\n", server.BaseUrl + "/hello"];
            string[] echo = [.. mode, "--data-binary", "@" + upload, "-o", echoed, "-w", "%{http_version} %{response_code}\\n", server.BaseUrl + "/echo"];
            // Over TLS both requests share one connection (--next). curl 7.88 cannot reuse an h2c prior-knowledge
            // connection at all (it fails with "Error in the HTTP2 framing layer" against nginx's h2c port just the
            // same), so there each request gets its own curl.
            var runs = tls ? [(string[])["-sS", "--max-time", "30", .. hello, "--next", .. echo]] : new[] { (string[])["-sS", "--max-time", "30", .. hello], ["-sS", "--max-time", "30", .. echo] };
            var output = "";
            foreach (var run in runs)
            {
                var result = await ProcessRunner.RunAsync(Curl, run);
                Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr + string.Join("\n", server.Errors));
                output += result.StdOut;
            }
            Assert.That(output, Is.EqualTo(Http2LoopbackServer.Hello + "2 200\n2 200\n"));
            Assert.That(await File.ReadAllBytesAsync(echoed), Is.EqualTo(await File.ReadAllBytesAsync(upload)), "the 1 MiB body made it there and back");
            Assert.That(server.Requests.Select(r => r.Split(' ', 2)[1]), Is.EqualTo(new[] { "GET /hello", "POST /echo" }));
            Assert.That(server.ConnectionCount, Is.EqualTo(runs.Length));
            Assert.That(server.Errors, Is.Empty);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Test]
    public async Task Curl_Http11ToThePriorKnowledgePort_GetsA505FromPrefaceDetection()
    {
        await using var server = Http2LoopbackServer.Start(tls: false);
        var result = await ProcessRunner.RunAsync(Curl, ["-sS", "--max-time", "30", "--http1.1", "-o", "/dev/null", "-w", "%{response_code}", server.BaseUrl + "/hello"]);
        Assert.That(result.StdOut, Is.EqualTo("505"), result.StdErr);
        Assert.That(server.Requests, Is.Empty);
    }

    [TestCase(false, TestName = "Nghttp_H2c_SixteenConcurrentStreamsOf64KiB")]
    [TestCase(true, TestName = "Nghttp_Tls_SixteenConcurrentStreamsOf64KiB")]
    public async Task Nghttp_SixteenConcurrentStreams(bool tls)
    {
        await using var server = Http2LoopbackServer.Start(tls);
        // -m 16: the same request 16 times, all on one connection; nghttp's windows are the protocol's 64 KiB, so each
        // 64 KiB body needs its WINDOW_UPDATEs. -n discards the bodies, --stat prints one line per finished stream.
        var result = await ProcessRunner.RunAsync(Nghttp, ["-n", "--stat", "-m", "16", "-t", "30", server.BaseUrl + "/bytes/65536", server.BaseUrl + "/hello"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdOut + result.StdErr);
        var finished = result.StdOut.Split('\n').Count(l => l.Contains("/bytes/65536") && l.Contains(" 200 "));
        Assert.That(finished, Is.EqualTo(16), result.StdOut);
        Assert.That(server.Requests.Count(r => r.EndsWith("GET /bytes/65536")), Is.EqualTo(16));
        Assert.That(server.ConnectionCount, Is.EqualTo(1));
        Assert.That(server.Errors, Is.Empty);
    }

    [Test]
    public async Task Chromium_LoadsAPageAndEightScriptsOverOneH2Connection()
    {
        await using var server = Http2LoopbackServer.Start(tls: true);
        var chromium = RequiredTool.Locate("chromium", "apt-get install chromium");
        var profile = Directory.CreateTempSubdirectory("harness-chromium-h2-").FullName;
        try
        {
            var result = await ProcessRunner.RunAsync(chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-proxy-server",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--ignore-certificate-errors-spki-list=" + server.SpkiHash, "--dump-dom", server.BaseUrl + "/page",
            ], timeoutSeconds: 90);
            var expected = "scripts:" + string.Concat(Enumerable.Range(0, Http2LoopbackServer.PageScripts).Select(i => " s" + i));
            Assert.That(result.StdOut, Does.Contain($"<p id=\"r\">{expected}</p>"), ChromiumDumpDom.Describe(result) + "\n" + string.Join("\n", server.Errors));
            var requests = server.Requests.ToList();
            var page = requests.Single(r => r.EndsWith("GET /page"));
            var connection = page.Split('/')[0];
            Assert.That(requests.Count(r => r.StartsWith(connection + "/") && r.Contains("GET /script/")), Is.EqualTo(Http2LoopbackServer.PageScripts),
                "every script came over the page's connection: " + string.Join(", ", requests));
            Assert.That(server.Errors, Is.Empty);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
