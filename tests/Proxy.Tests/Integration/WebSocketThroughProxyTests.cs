using System.Net;
using System.Net.WebSockets;
using System.Text;
using Harness.Flows;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Integration;

public sealed class WebSocketThroughProxyTests
{
    private static ClientWebSocket Client(ProxyFixture fx)
    {
        var ws = new ClientWebSocket();
        ws.Options.Proxy = new WebProxy(fx.ProxyUrl);
        var ca = fx.Ca.PublicCertificate;
        ws.Options.RemoteCertificateValidationCallback = (_, cert, _, _) => CustomRootTrust.Validates(cert, ca);
        return ws;
    }

    [Test]
    public async Task Sinkhole_AcceptsTheWebSocket_AndRecordsClientMessages()
    {
        await using var fx = await ProxyFixture.StartAsync();
        using var ws = Client(fx);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await ws.ConnectAsync(new Uri("wss://push.vendor.test/socket"), timeout.Token);
        await ws.SendAsync(Encoding.UTF8.GetBytes("{\"visited\":\"https://secret.example/\"}"), WebSocketMessageType.Text, true, timeout.Token);
        await ws.SendAsync(new byte[] { 1, 2, 3, 0, 255 }, WebSocketMessageType.Binary, true, timeout.Token);
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        var flow = await fx.WaitForFlowAsync(f => f.Kind == FlowKind.WebSocket);
        Assert.That(flow.Url, Is.EqualTo("https://push.vendor.test/socket"));
        Assert.That(flow.WebSocketMessages.Select(m => (m.FromClient, m.IsText, Convert.ToHexString(m.Data))), Is.EqualTo(new[]
        {
            (true, true, Convert.ToHexString(Encoding.UTF8.GetBytes("{\"visited\":\"https://secret.example/\"}"))),
            (true, false, "01020300FF"),
        }));
    }

    [Test]
    public async Task Forward_RelaysToTheOrigin_AndRecordsBothDirections()
    {
        await using var origin = await LocalOrigin.StartAsync();
        await using var fx = await ProxyFixture.StartAsync(o =>
        {
            o.UpstreamMode = UpstreamMode.Forward;
            o.UpstreamCertificateValidation = origin.Validator();
        });
        using var ws = Client(fx);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await ws.ConnectAsync(new Uri($"wss://127.0.0.1:{origin.HttpsPort}/ws"), timeout.Token);
        await WebSocketEcho.RoundTripAsync(ws, "ping me back", timeout.Token);
        var flow = await fx.WaitForFlowAsync(f => f.Kind == FlowKind.WebSocket);
        Assert.That(flow.StatusCode, Is.EqualTo(101));
        Assert.That(flow.WebSocketMessages.Select(m => (m.FromClient, Encoding.UTF8.GetString(m.Data))), Is.EquivalentTo(new[]
        {
            (true, "ping me back"), (false, "ping me back"),
        }));
    }
}
