using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Harness.Proxy.Http2;
using Harness.Proxy.Http2Proxy;
using static Harness.Proxy.Tests.Http2.Http2Playbook;

namespace Harness.Proxy.Tests.Http2;

/// <summary>The proxy's h2 connection to an origin, over a real loopback socket to an h2c origin.</summary>
public sealed class Http2UpstreamSessionTests
{
    [Test]
    public async Task Request_bodies_the_window_takes_at_once_leave_no_waiter_behind()
    {
        // A browser's telemetry POSTs go over one long-lived origin connection: anything kept per stream grows with it.
        await using var origin = Http2LoopbackServer.Start(tls: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, origin.Port), timeout.Token);
        await using var session = new Http2UpstreamSession(new UpstreamTransport("127.0.0.1", origin.Port, false, socket, new NetworkStream(socket, ownsSocket: true), SslApplicationProtocol.Http2));
        await session.StartAsync(timeout.Token);

        for (var i = 0; i < 5; i++)
        {
            var (id, events) = await session.OpenAsync(Fields(":method=POST", ":scheme=http", ":authority=127.0.0.1", ":path=/echo"), endStream: false, timeout.Token);
            await session.SendDataAsync(id, "payload "u8.ToArray(), endStream: false, timeout.Token);
            await session.SendDataAsync(id, System.Text.Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), endStream: true, timeout.Token);
            var body = new List<byte>();
            await foreach (var ev in events.ReadAllAsync(timeout.Token))
            {
                if (ev is Http2DataReceived data)
                {
                    body.AddRange(data.Data.ToArray());
                    await session.SubmitAsync(h => h.ConsumeData(id, data.Data.Length), timeout.Token);
                }
            }
            Assert.That(System.Text.Encoding.ASCII.GetString([.. body]), Is.EqualTo($"payload {i}"), "the origin echoes each body");
        }
        Assert.That(session.DrainWaiterCount, Is.Zero, "a sender whose bytes went out at once waits for nothing and must leave nothing behind");
    }
}
