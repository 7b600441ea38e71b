using System.Net.Sockets;
using System.Text;
using Harness.Flows;
using Harness.Proxy.Addons;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Addons;

/// <summary>Features are addons on named events: a library user's addon hears them in order and may answer locally.</summary>
public sealed class AddonEventTests
{
    private static async Task<string> ExchangeAsync(ProxyFixture fx, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", fx.Proxy.LocalEndPoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var ms = new MemoryStream();
        await stream.CopyToAsync(ms, timeout.Token);
        return Encoding.Latin1.GetString(ms.ToArray());
    }

    [Test]
    public async Task UserAddon_HearsTheNamedEventsInOrder_ForASinkholedRequest()
    {
        var addon = new RecordingAddon();
        await using var fx = await ProxyFixture.StartAsync(o => o.Addons.Add(addon));
        var response = await ExchangeAsync(fx, "POST http://events.test/p HTTP/1.1\r\nHost: events.test\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
        Assert.That(response, Does.StartWith("HTTP/1.1 200 "));
        var flow = await fx.WaitForFlowAsync(f => f.Host == "events.test");
        Assert.That(flow.Tags["answeredBy"], Is.EqualTo(SinkholeAddon.AnsweredBy));
        Assert.That(addon.EventsFor("events.test"), Is.EqualTo(new[]
        {
            "request-headers", "request-complete", "response-headers 200", "response-complete", "flow-complete",
        }));
    }

    [Test]
    public async Task UserAddon_AnswersBeforeTheCanaryPageAndTheSinkhole()
    {
        var addon = new RecordingAddon(answerHost: "canary.test");
        await using var fx = await ProxyFixture.StartAsync(o =>
        {
            o.Addons.Add(addon);
            o.CanaryHosts = ["canary.test"];
        });
        var response = await ExchangeAsync(fx, "GET http://canary.test/ HTTP/1.1\r\nHost: canary.test\r\nConnection: close\r\n\r\n");
        Assert.That(response, Does.StartWith("HTTP/1.1 418 ").And.EndWith("from addon"));
        var flow = await fx.WaitForFlowAsync(f => f.Host == "canary.test");
        Assert.That(flow.Tags["answeredBy"], Is.EqualTo("recording-addon"));
    }

    [Test]
    public async Task ThrowingAddon_IsKeptOnTheFlow_AndTheExchangeStillCompletes()
    {
        await using var fx = await ProxyFixture.StartAsync(o => o.Addons.Add(new ThrowingAddon()));
        var response = await ExchangeAsync(fx, "GET http://throws.test/ HTTP/1.1\r\nHost: throws.test\r\nConnection: close\r\n\r\n");
        Assert.That(response, Does.StartWith("HTTP/1.1 200 "));
        var flow = await fx.WaitForFlowAsync(f => f.Host == "throws.test");
        Assert.That(flow.Tags[AddonPipeline.HandlerErrorTag], Does.Contain("addon broke on purpose"));
    }

    [Test]
    public async Task FailedTlsHandshake_RaisesTlsFailure_ThenFlowComplete()
    {
        var addon = new RecordingAddon();
        await using var fx = await ProxyFixture.StartAsync(o => o.Addons.Add(addon));
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", fx.Proxy.LocalEndPoint.Port);
            var stream = client.GetStream();
            await stream.WriteAsync("CONNECT pinned.test:443 HTTP/1.1\r\nHost: pinned.test:443\r\n\r\n"u8.ToArray());
            var buffer = new byte[256];
            var n = await stream.ReadAsync(buffer);
            Assert.That(Encoding.ASCII.GetString(buffer, 0, n), Does.StartWith("HTTP/1.1 200 "));
            // The start of a ClientHello, then the client hangs up: the handshake fails inside the proxy.
            await stream.WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x80, 0x01, 0x00, 0x00, 0x7c, 0x03, 0x03 });
            client.Client.Shutdown(SocketShutdown.Send);
            await stream.CopyToAsync(Stream.Null);
        }
        var flow = await fx.WaitForFlowAsync(f => f.Host == "pinned.test");
        Assert.That(flow.Error!.Kind, Is.EqualTo(FlowErrorKind.TlsHandshake));
        Assert.That(addon.EventsFor("pinned.test"), Is.EqualTo(new[] { "tls-failure " + flow.Tls!.Outcome, "flow-complete" }));
    }

    [Test]
    public async Task FlowTimes_ComeFromTheInjectedTimeProvider()
    {
        var instant = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);
        await using var fx = await ProxyFixture.StartAsync(o => o.TimeProvider = new FixedClock(instant));
        await ExchangeAsync(fx, "GET http://clock.test/ HTTP/1.1\r\nHost: clock.test\r\nConnection: close\r\n\r\n");
        var flow = await fx.WaitForFlowAsync(f => f.Host == "clock.test");
        Assert.That(new[] { flow.Timings.Start, flow.Timings.RequestDone, flow.Timings.ResponseDone }, Is.All.EqualTo(instant));
    }

    private sealed class ThrowingAddon : ProxyAddon
    {
        public override ValueTask RequestHeadersAsync(ProxySession session) => throw new InvalidOperationException("addon broke on purpose");
    }
}
