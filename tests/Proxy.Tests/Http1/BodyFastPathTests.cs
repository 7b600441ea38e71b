using System.Text;
using Harness.Proxy.Http1;

namespace Harness.Proxy.Tests.Http1;

/// <summary>
/// Body bytes that arrive while nothing is buffered skip the head buffer. Framing must come out the same at every
/// split of the stream, and each body event must still own its bytes (the reader reuses its read buffer).
/// </summary>
public sealed class BodyFastPathTests
{
    private const string TwoResponses =
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789" +
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n3;x=y\r\nfgh\r\n0\r\nT: v\r\n\r\n" +
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nxyz";

    private static readonly List<string> Expected =
    [
        "resp:200 ContentLength", "data:0123456789", "complete",
        "resp:200 Chunked", "data:abcdefgh", "trailers:T=v", "complete",
        "resp:200 ContentLength", "data:xyz", "complete",
    ];

    [Test]
    public void EveryTwoWaySplit_GivesTheSameEvents()
    {
        var wire = Encoding.Latin1.GetBytes(TwoResponses);
        for (var split = 0; split <= wire.Length; split++)
        {
            var parser = new Http1ResponseParser(null);
            var events = new List<Http1Event>();
            parser.Feed(wire.AsSpan(0, split), events);
            parser.Feed(wire.AsSpan(split), events);
            Assert.That(ParserHarness.Describe(events), Is.EqualTo(Expected), $"split at {split}");
        }
    }

    [Test]
    public void EveryThreeWaySplit_GivesTheSameEvents()
    {
        var wire = Encoding.Latin1.GetBytes(TwoResponses);
        for (var a = 0; a <= wire.Length; a += 3)
        for (var b = a; b <= wire.Length; b += 5)
        {
            var parser = new Http1ResponseParser(null);
            var events = new List<Http1Event>();
            parser.Feed(wire.AsSpan(0, a), events);
            parser.Feed(wire.AsSpan(a, b - a), events);
            parser.Feed(wire.AsSpan(b), events);
            Assert.That(ParserHarness.Describe(events), Is.EqualTo(Expected), $"splits at {a} and {b}");
        }
    }

    [Test]
    public void BodyEvents_OwnTheirBytes_WhenTheCallerReusesItsBuffer()
    {
        var parser = new Http1ResponseParser(null);
        var events = new List<Http1Event>();
        parser.Feed("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n"u8, events);
        var readBuffer = "ABCD"u8.ToArray();
        parser.Feed(readBuffer, events);
        "EFGH"u8.CopyTo(readBuffer);
        parser.Feed(readBuffer, events);
        "????"u8.CopyTo(readBuffer);
        Assert.That(ParserHarness.Body(events), Is.EqualTo("ABCDEFGH"));
        Assert.That(events.Last(), Is.InstanceOf<Http1MessageComplete>());
    }

    [Test]
    public void BodyUntilClose_StreamsEveryFeed_ThenCompletesAtEof()
    {
        var parser = new Http1ResponseParser(null);
        var events = new List<Http1Event>();
        parser.Feed("HTTP/1.0 200 OK\r\n\r\n"u8, events);
        parser.Feed("part one, "u8, events);
        parser.Feed("part two"u8, events);
        parser.FeedEof(events);
        Assert.That(ParserHarness.Describe(events), Is.EqualTo(new[] { "resp:200 UntilClose", "data:part one, part two", "complete" }));
    }
}
