using Harness.Proxy.Http1;
using static Harness.Proxy.Tests.Http1.ParserHarness;

namespace Harness.Proxy.Tests.Http1;

public sealed class Http1ResponseParserTests
{
    private static Http1ResponseParser For(params string[] methods)
    {
        var parser = new Http1ResponseParser();
        foreach (var m in methods) parser.ExpectResponseTo(m);
        return parser;
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ContentLength(bool bytewise)
    {
        const string wire = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
        var events = bytewise ? FeedBytewise(For("GET"), wire) : Feed(For("GET"), wire);
        Assert.That(Describe(events), Is.EqualTo(new[] { "resp:200 ContentLength", "data:abc", "complete" }));
        Assert.That(((Http1ResponseHead)events[0]).Reason, Is.EqualTo("OK"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Chunked_WithTrailers(bool bytewise)
    {
        const string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: grpc-status\r\n\r\n3\r\nabc\r\n0\r\ngrpc-status: 0\r\n\r\n";
        var events = bytewise ? FeedBytewise(For("POST"), wire) : Feed(For("POST"), wire);
        Assert.That(Describe(events), Is.EqualTo(new[] { "resp:200 Chunked", "data:abc", "trailers:grpc-status=0", "complete" }));
    }

    [Test]
    public void NoLength_BodyEndsAtEof()
    {
        var parser = For("GET");
        var events = Feed(parser, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
        Assert.That(Describe(events), Is.EqualTo(new[] { "resp:200 UntilClose", "data:until the end" }));
        parser.FeedEof(events);
        Assert.That(Describe(events).Last(), Is.EqualTo("complete"));
    }

    [Test]
    public void HeadResponse_HasNoBodyDespiteContentLength()
    {
        var events = Feed(For("HEAD", "GET"), "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
        Assert.That(Describe(events), Is.EqualTo(new[] { "resp:200 None", "complete", "resp:200 ContentLength", "data:hi", "complete" }));
    }

    [TestCase(204)]
    [TestCase(304)]
    public void NoContentAndNotModified_HaveNoBody(int status)
    {
        var events = Feed(For("GET", "GET"), $"HTTP/1.1 {status} X\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        Assert.That(Describe(events), Is.EqualTo(new[] { $"resp:{status} None", "complete", "resp:200 ContentLength", "complete" }));
    }

    [Test]
    public void InterimResponses_PrecedeTheFinalOneForTheSameRequest()
    {
        var events = Feed(For("HEAD"), "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        Assert.That(Describe(events), Is.EqualTo(new[] { "resp:100 None", "resp:103 None", "resp:200 None", "complete" }),
            "the HEAD is consumed by the final response, not by the interim ones");
        Assert.That(((Http1ResponseHead)events[0]).IsInterim, Is.True);
    }

    [Test]
    public void SwitchingProtocols_Pauses()
    {
        var parser = For("GET");
        var events = Feed(parser, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x02hi");
        Assert.That(Describe(events), Is.EqualTo(new[] { "resp:101 None", "complete" }));
        Assert.That(parser.IsPaused, Is.True);
        Assert.That(parser.TakeRemainder(), Has.Length.EqualTo(4));
    }

    [TestCase("HTTP/1.1 2000 OK\r\n\r\n", TestName = "Four-digit status")]
    [TestCase("HTTP/1.1 abc OK\r\n\r\n", TestName = "Non-numeric status")]
    [TestCase("ICY 200 OK\r\n\r\n", TestName = "Not HTTP")]
    [TestCase("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", TestName = "Conflicting Content-Length")]
    [TestCase("HTTP/1.1 200 OK\r\nX: a\nY: b\r\n\r\n", TestName = "Bare LF")]
    public void Malformed_GivesErrorEvent(string wire)
    {
        var events = Feed(For("GET"), wire);
        Assert.That(events.Single(), Is.TypeOf<Http1ParseError>());
    }

    [Test]
    public void EofBeforeContentLengthSatisfied_IsAnError()
    {
        var events = Feed(For("GET"), "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", eof: true);
        Assert.That(Describe(events).Last(), Is.EqualTo("error:400"));
    }
}
