using System.Net.Sockets;
using System.Text;
using Harness.Flows;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Integration;

/// <summary>Bytes a real client would never send: the proxy answers with an error status and records the flow.</summary>
public sealed class RawSocketTests
{
    private static async Task<string> ExchangeAsync(ProxyFixture fx, byte[] request, bool halfClose = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", fx.Proxy.LocalEndPoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        if (halfClose) client.Client.Shutdown(SocketShutdown.Send);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var ms = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) ms.Write(buffer, 0, n);
        return Encoding.Latin1.GetString(ms.ToArray());
    }

    [Test]
    public async Task HeaderInjectionWithBareLf_Gets400_AndAProtocolErrorFlow()
    {
        await using var fx = await ProxyFixture.StartAsync();
        var response = await ExchangeAsync(fx, "GET http://victim.test/ HTTP/1.1\r\nHost: victim.test\r\nX-A: 1\nX-Injected: 1\r\n\r\n"u8.ToArray());
        Assert.That(response, Does.StartWith("HTTP/1.1 400 "));
        var flow = await fx.WaitForFlowAsync(f => f.Error?.Kind == FlowErrorKind.ProtocolError);
        Assert.That(flow.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task OversizedHeaders_Get431()
    {
        await using var fx = await ProxyFixture.StartAsync();
        var request = Encoding.ASCII.GetBytes("GET http://big.test/ HTTP/1.1\r\nHost: big.test\r\nX-Big: " + new string('a', 100_000) + "\r\n\r\n");
        var response = await ExchangeAsync(fx, request);
        Assert.That(response, Does.StartWith("HTTP/1.1 431 "));
        await fx.WaitForFlowAsync(f => f.StatusCode == 431);
    }

    [Test]
    public async Task PipelinedRequests_AreAnsweredInOrder()
    {
        await using var fx = await ProxyFixture.StartAsync(o => o.SinkholeResponse = LocalResponse.Text(200, "OK", "text/plain", "sunk"));
        var response = await ExchangeAsync(fx, ("GET http://p.test/1 HTTP/1.1\r\nHost: p.test\r\n\r\n" +
                                                "POST http://p.test/2 HTTP/1.1\r\nHost: p.test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n" +
                                                "GET http://p.test/3 HTTP/1.1\r\nHost: p.test\r\nConnection: close\r\n\r\n").Select(c => (byte)c).ToArray());
        Assert.That(response.Split("HTTP/1.1 200 OK").Length - 1, Is.EqualTo(3));
        var second = await fx.WaitForFlowAsync(f => f.Url == "http://p.test/2");
        Assert.That(Encoding.ASCII.GetString(second.RequestBody!.Raw), Is.EqualTo("abc"));
        Assert.That(second.RequestTrailers, Is.EqualTo(new[] { new HeaderField("X-T", "1") }));
        await fx.WaitForFlowAsync(f => f.Url == "http://p.test/3");
    }

    [Test]
    public async Task NonTlsBytesAfterConnect_AreAnOpaqueTunnelFlow()
    {
        await using var fx = await ProxyFixture.StartAsync();
        var response = await ExchangeAsync(fx, [.. "CONNECT mqtt.vendor.test:1883 HTTP/1.1\r\nHost: mqtt.vendor.test:1883\r\n\r\n"u8, 0x10, 0x0c, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T'], halfClose: true);
        Assert.That(response, Does.StartWith("HTTP/1.1 200 "));
        var flow = await fx.WaitForFlowAsync(f => f.Kind == FlowKind.Tunnel);
        Assert.That(flow.Host, Is.EqualTo("mqtt.vendor.test"));
        Assert.That(flow.Port, Is.EqualTo(1883));
        Assert.That(flow.RequestBody!.Raw, Is.EqualTo(new byte[] { 0x10, 0x0c, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T' }));
        Assert.That(flow.Tls!.Outcome, Is.EqualTo(TlsOutcome.Passthrough));
    }

    [Test]
    public async Task ClientClosingDuringTheHandshake_IsClassifiedAsSuch()
    {
        await using var fx = await ProxyFixture.StartAsync();
        // A TLS record header announcing a ClientHello, then the client hangs up: what a pinning client does looks like this.
        await ExchangeAsync(fx, [.. "CONNECT pinning.test:443 HTTP/1.1\r\nHost: pinning.test:443\r\n\r\n"u8, 0x16, 0x03, 0x01, 0x00, 0x50, 0x01], halfClose: true);
        var flow = await fx.WaitForFlowAsync(f => f.Host == "pinning.test");
        Assert.That(flow.Kind, Is.EqualTo(FlowKind.Connection));
        Assert.That(flow.Tls!.Outcome, Is.EqualTo(TlsOutcome.ClientClosedDuringHandshake), flow.Tls.Detail);
    }

    [Test]
    public async Task ClientAbortMidBody_IsRecorded()
    {
        await using var fx = await ProxyFixture.StartAsync();
        await ExchangeAsync(fx, "POST http://abort.test/ HTTP/1.1\r\nHost: abort.test\r\nContent-Length: 1000\r\n\r\npartial"u8.ToArray(), halfClose: true);
        var flow = await fx.WaitForFlowAsync(f => f.Host == "abort.test");
        Assert.That(flow.Error!.Kind, Is.EqualTo(FlowErrorKind.ClientAbort));
        Assert.That(flow.RequestBody!.Raw, Is.EqualTo("partial"u8.ToArray()));
    }

    [Test]
    public async Task HandlerCanAnswerLocally_AndSeesTheResponse()
    {
        await using var fx = await ProxyFixture.StartAsync(o => o.UpstreamMode = UpstreamMode.Forward);
        var sawResponse = false;
        fx.Proxy.BeforeRequest += s =>
        {
            if (s.Flow.Host == "handled.test") s.Respond(203, "text/plain", "from handler");
            return Task.CompletedTask;
        };
        fx.Proxy.BeforeResponse += s =>
        {
            sawResponse |= s.Flow.StatusCode == 203;
            return Task.CompletedTask;
        };
        var response = await ExchangeAsync(fx, "GET http://handled.test/ HTTP/1.1\r\nHost: handled.test\r\nConnection: close\r\n\r\n"u8.ToArray());
        Assert.That(response, Does.StartWith("HTTP/1.1 203 ").And.EndWith("from handler"));
        var flow = await fx.WaitForFlowAsync(f => f.Host == "handled.test");
        Assert.That(flow.Tags["answeredBy"], Is.EqualTo("handler"));
        Assert.That(sawResponse, Is.True);
    }
}
