using System.Net;
using System.Net.WebSockets;
using System.Text;
using Harness.Flows;
using Harness.Proxy.Http2Proxy;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Integration;

/// <summary>
/// WebSockets from an HTTP/2 client (.NET's ClientWebSocket over h2: RFC 8441 extended CONNECT) through the proxy:
/// answered by the sinkhole, relayed to an origin over h2 when it accepts extended CONNECT (Kestrel), and over an
/// HTTP/1.1 upgrade when the origin speaks only HTTP/1.1. Every message is recorded on one flow.
/// </summary>
public sealed class WebSocketOverHttp2Tests
{
    private static (ClientWebSocket Socket, HttpMessageInvoker Invoker) Client(ProxyFixture fx)
    {
        var ca = fx.Ca.PublicCertificate;
        var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy(fx.ProxyUrl),
            UseProxy = true,
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) => CustomRootTrust.Validates(cert, ca),
            },
        };
        var ws = new ClientWebSocket();
        ws.Options.HttpVersion = HttpVersion.Version20;
        ws.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        ws.Options.CollectHttpResponseDetails = true;
        return (ws, new HttpMessageInvoker(handler));
    }

    [Test]
    public async Task Sinkhole_AcceptsAWebSocketOverHttp2_AndRecordsItsMessages()
    {
        await using var fx = await ProxyFixture.StartAsync();
        var (ws, invoker) = Client(fx);
        using (ws)
        using (invoker)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await ws.ConnectAsync(new Uri("wss://push.vendor.test/socket"), invoker, timeout.Token);
            Assert.That(ws.HttpStatusCode, Is.EqualTo(HttpStatusCode.OK), "extended CONNECT is answered 200, not 101");
            await ws.SendAsync(Encoding.UTF8.GetBytes("{\"visited\":\"https://secret.example/\"}"), WebSocketMessageType.Text, true, timeout.Token);
            await ws.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, timeout.Token);
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }
        var flow = await fx.WaitForFlowAsync(f => f.Kind == FlowKind.WebSocket);
        Assert.Multiple(() =>
        {
            Assert.That(flow.HttpVersion, Is.EqualTo("HTTP/2.0"));
            Assert.That(flow.Url, Is.EqualTo("https://push.vendor.test/socket"));
            Assert.That(flow.Tags["answeredBy"], Is.EqualTo("sinkhole"));
            Assert.That(flow.WebSocketMessages.Select(m => (m.FromClient, m.IsText, Convert.ToHexString(m.Data))), Is.EqualTo(new[]
            {
                (true, true, Convert.ToHexString(Encoding.UTF8.GetBytes("{\"visited\":\"https://secret.example/\"}"))),
                (true, false, "010203"),
            }));
        });
    }

    [TestCase(true, "h2")]
    [TestCase(false, "http/1.1")]
    public async Task Forward_RelaysBothDirections_OverH2ExtendedConnectOrAnHttp11Upgrade(bool originSpeaksH2, string upstreamProtocol)
    {
        await using var origin = await LocalOrigin.StartAsync(http2: originSpeaksH2);
        await using var fx = await ProxyFixture.StartAsync(o =>
        {
            o.UpstreamMode = UpstreamMode.Forward;
            o.UpstreamCertificateValidation = origin.Validator();
        });
        var (ws, invoker) = Client(fx);
        using (ws)
        using (invoker)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await ws.ConnectAsync(new Uri($"wss://127.0.0.1:{origin.HttpsPort}/ws"), invoker, timeout.Token);
            await WebSocketEcho.RoundTripAsync(ws, "ping me back", timeout.Token);
        }
        var flow = await fx.WaitForFlowAsync(f => f.Kind == FlowKind.WebSocket);
        Assert.Multiple(() =>
        {
            Assert.That(flow.HttpVersion, Is.EqualTo("HTTP/2.0"));
            Assert.That(flow.StatusCode, Is.EqualTo(200));
            Assert.That(flow.Tags[Http2StreamExchange.UpstreamProtocolTag], Is.EqualTo(upstreamProtocol));
            Assert.That(flow.WebSocketMessages.Select(m => (m.FromClient, Encoding.UTF8.GetString(m.Data))), Is.EquivalentTo(new[]
            {
                (true, "ping me back"), (false, "ping me back"),
            }));
        });
    }
}
