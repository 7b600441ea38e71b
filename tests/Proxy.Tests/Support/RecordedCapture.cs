using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Harness.Flows;
using Harness.TestSupport;

namespace Harness.Proxy.Tests.Support;

/// <summary>
/// A capture made the way a run makes one: real clients (curl, .NET's ClientWebSocket) through the proxy in Forward
/// mode to a Kestrel origin on loopback, then read back from the on-disk store and exported with <see cref="HarWriter"/>.
/// It holds a plain-HTTP text exchange, intercepted HTTPS with binary bodies both ways, a gzip response, a TLS
/// handshake the client refused (our CA not trusted) and a WebSocket session: every kind of entry HAR consumers meet.
/// </summary>
internal sealed class RecordedCapture
{
    private RecordedCapture(List<Flow> flows, byte[] har, string textUrl, string binaryUrl, string gzipUrl, string wsUrl, byte[] binaryBody)
    {
        Flows = flows;
        Har = har;
        TextUrl = textUrl;
        BinaryUrl = binaryUrl;
        GzipUrl = gzipUrl;
        WebSocketUrl = wsUrl;
        BinaryBody = binaryBody;
    }

    /// <summary>The flows as read back from the store, in store order (the order of the HAR's entries).</summary>
    public List<Flow> Flows { get; }
    public byte[] Har { get; }
    public string TextUrl { get; }
    public string BinaryUrl { get; }
    public string GzipUrl { get; }
    public string WebSocketUrl { get; }
    public byte[] BinaryBody { get; }

    public static async Task<RecordedCapture> RecordAsync()
    {
        var curl = RequiredTool.Locate("curl", "apt-get install curl");
        await using var origin = await LocalOrigin.StartAsync();
        await using var fx = await ProxyFixture.StartAsync(o =>
        {
            o.UpstreamMode = UpstreamMode.Forward;
            o.UpstreamCertificateValidation = origin.Validator();
        });
        string[] Args(params string[] rest) => ["-sS", "--max-time", "30", "--noproxy", "", "-x", fx.ProxyUrl, .. rest];

        var textUrl = $"http://127.0.0.1:{origin.HttpPort}/hello?q=hello%20world&lang=en";
        await RunCurlAsync(curl, Args("-H", "Cookie: session=abc; theme=dark", textUrl));

        // Bytes that are not UTF-8 text, so the HAR must carry them as base64 with "encoding".
        var binaryBody = new byte[4096];
        new Random(42).NextBytes(binaryBody);
        binaryBody[0] = 0xff;
        var binaryUrl = $"https://127.0.0.1:{origin.HttpsPort}/echo";
        var bodyFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(bodyFile, binaryBody);
            await RunCurlAsync(curl, Args("--cacert", fx.CaPemPath, "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + bodyFile, "-o", "/dev/null", binaryUrl));
        }
        finally { File.Delete(bodyFile); }

        var gzipUrl = $"https://127.0.0.1:{origin.HttpsPort}/gzip";
        await RunCurlAsync(curl, Args("--cacert", fx.CaPemPath, "--compressed", gzipUrl));

        // No --cacert: curl refuses our leaf, the proxy records a failed TLS connection.
        var refused = await ProcessRunner.RunAsync(curl, Args("-o", "/dev/null", $"https://127.0.0.1:{origin.HttpsPort}/refused"));
        Assert.That(refused.ExitCode, Is.Not.EqualTo(0), "curl must refuse a CA it does not trust");

        var wsUrl = $"wss://127.0.0.1:{origin.HttpsPort}/ws";
        await RunWebSocketAsync(fx, new Uri(wsUrl));

        await fx.WaitForFlowAsync(f => f.Url == textUrl);
        await fx.WaitForFlowAsync(f => f.Url == binaryUrl);
        await fx.WaitForFlowAsync(f => f.Url == gzipUrl);
        await fx.WaitForFlowAsync(f => f.Kind == FlowKind.Connection && f.Tls?.Outcome == TlsOutcome.ClientRejectedUntrusted);
        await fx.WaitForFlowAsync(f => f.Kind == FlowKind.WebSocket);

        var flows = fx.Store.ReadAll();
        using var har = new MemoryStream();
        HarWriter.Write(flows, har);
        return new RecordedCapture(flows, har.ToArray(), textUrl, binaryUrl, gzipUrl,
            // The proxy records a WebSocket by the URL of its upgrade request: https:// for wss://.
            wsUrl.Replace("wss://", "https://", StringComparison.Ordinal), binaryBody);
    }

    private static async Task RunCurlAsync(string curl, string[] args)
    {
        var result = await ProcessRunner.RunAsync(curl, args);
        Assert.That(result.ExitCode, Is.EqualTo(0), $"curl {string.Join(' ', args)}: {result.StdErr}");
    }

    private static async Task RunWebSocketAsync(ProxyFixture fx, Uri url)
    {
        using var ws = new ClientWebSocket();
        ws.Options.Proxy = new WebProxy(fx.ProxyUrl);
        var ca = fx.Ca.PublicCertificate;
        ws.Options.RemoteCertificateValidationCallback = (_, cert, _, _) => CustomRootTrust.Validates(cert, ca);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await ws.ConnectAsync(url, timeout.Token);
        await ws.SendAsync(Encoding.UTF8.GetBytes("{\"visited\":\"https://secret.example/\"}"), WebSocketMessageType.Text, true, timeout.Token);
        await ws.SendAsync(new byte[] { 0, 1, 2, 0xff }, WebSocketMessageType.Binary, true, timeout.Token);
        var buffer = new byte[1024];
        for (var echoes = 0; echoes < 2; echoes++)
        {
            var received = await ws.ReceiveAsync(buffer, timeout.Token);
            while (!received.EndOfMessage) received = await ws.ReceiveAsync(buffer, timeout.Token);
        }
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
    }
}
