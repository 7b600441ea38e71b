using Harness.Proxy.Http2;
using static Harness.Proxy.Tests.Http2.Http2Playbook;

namespace Harness.Proxy.Tests.Http2;

/// <summary>
/// The relay pattern a proxy pump uses, in memory: phone (client role) → proxy's server role | proxy's client role →
/// origin (server role). The proxy consumes what the phone sent only once the origin side has taken it off its hands,
/// so an origin that reads slowly holds the phone back through the windows, and the proxy's memory stays bounded.
/// </summary>
public sealed class Http2RelayBackpressureTests
{
    private const int Window = 64 * 1024;
    private const int Body = 1 << 20;

    [Test]
    public void SlowOrigin_HoldsThePhoneBackThroughTheWindows()
    {
        var windows = new Http2ConnectionOptions { InitialStreamWindowSize = Window, ConnectionWindowSize = 65535 };
        var phone = new Http2Connection(Http2Role.Client, windows);
        var proxyFront = new Http2Connection(Http2Role.Server, windows);
        var proxyBack = new Http2Connection(Http2Role.Client, windows);
        var origin = new Http2Connection(Http2Role.Server, windows);
        var body = Enumerable.Range(0, Body).Select(i => (byte)(i * 31)).ToArray();
        var frontToBack = new Dictionary<int, int>();
        var backToFront = new Dictionary<int, int>();
        // Octets the proxy relayed but has not yet consumed on the front (the origin side still buffers them).
        var owed = new Dictionary<int, int>();
        var received = new MemoryStream();
        var originReads = false;
        var unread = 0;
        var events = new List<Http2Event>();

        var phoneStream = phone.SubmitRequest(Fields(":method=POST", ":scheme=https", ":authority=origin.test", ":path=/upload"), endStream: false);
        phone.SendData(phoneStream, body, endStream: true);

        long proxyHeldMost = 0;
        for (var round = 0; round < 2000; round++)
        {
            var moved = 0;
            // phone -> proxy front
            var bytes = phone.TakeOutput();
            moved += bytes.Length;
            proxyFront.Feed(bytes, events);
            foreach (var e in events)
            {
                switch (e)
                {
                    case Http2RequestReceived r:
                        var back = proxyBack.SubmitRequest(r.Fields, r.EndStream);
                        frontToBack[r.StreamId] = back;
                        backToFront[back] = r.StreamId;
                        owed[r.StreamId] = 0;
                        break;
                    case Http2DataReceived d:
                        var buffered = proxyBack.SendData(frontToBack[d.StreamId], d.Data.Span, d.EndStream);
                        // Consume on the front only what the back did not have to buffer: the rest is owed until drained.
                        if (buffered == 0) proxyFront.ConsumeData(d.StreamId, d.Data.Length + owed[d.StreamId]);
                        owed[d.StreamId] = buffered == 0 ? 0 : owed[d.StreamId] + d.Data.Length;
                        break;
                }
            }
            events.Clear();
            // proxy back -> origin
            bytes = proxyBack.TakeOutput();
            moved += bytes.Length;
            origin.Feed(bytes, events);
            foreach (var e in events)
            {
                if (e is Http2DataReceived d)
                {
                    received.Write(d.Data.Span);
                    if (originReads) origin.ConsumeData(d.StreamId, d.Data.Length);
                    else unread += d.Data.Length;
                    if (d.EndStream) origin.SubmitResponse(d.StreamId, Fields(":status=201"), endStream: true);
                }
            }
            events.Clear();
            // origin -> proxy back
            bytes = origin.TakeOutput();
            moved += bytes.Length;
            proxyBack.Feed(bytes, events);
            foreach (var e in events)
            {
                switch (e)
                {
                    case Http2SendBufferDrained w:
                        var front = backToFront[w.StreamId];
                        proxyFront.ConsumeData(front, owed[front]);
                        owed[front] = 0;
                        break;
                    case Http2ResponseReceived r:
                        proxyFront.SubmitResponse(backToFront[r.StreamId], r.Fields, r.EndStream);
                        break;
                }
            }
            events.Clear();
            // proxy front -> phone
            bytes = proxyFront.TakeOutput();
            moved += bytes.Length;
            phone.Feed(bytes, events);
            var done = events.OfType<Http2ResponseReceived>().Any(r => r.StatusCode == 201);
            events.Clear();
            proxyHeldMost = Math.Max(proxyHeldMost, proxyBack.GetBufferedSendBytes(frontToBack.GetValueOrDefault(phoneStream, 1)) + owed.Values.Sum());
            if (done) break;
            if (moved == 0)
            {
                // Stalled: the origin has not read anything. The phone must be the one holding the body.
                Assert.That(originReads, Is.False, $"stalled although the origin reads (round {round})");
                Assert.That(received.Length, Is.LessThanOrEqualTo(Window), "the origin got at most its window");
                Assert.That(phone.GetBufferedSendBytes(phoneStream), Is.GreaterThan(Body - 3 * Window), "most of the body is still on the phone");
                originReads = true;
                origin.ConsumeData(1, unread);
            }
        }
        Assert.That(originReads, Is.True, "the exchange stalled on the unread origin first");
        Assert.That(received.ToArray(), Is.EqualTo(body), "the origin got the whole body, in order");
        Assert.That(proxyHeldMost, Is.LessThanOrEqualTo(2 * Window), "the proxy never held more than about a window of the body");
        Assert.That(phone.ActiveStreamCount + proxyFront.ActiveStreamCount + proxyBack.ActiveStreamCount + origin.ActiveStreamCount, Is.Zero);
    }
}
