using Harness.Flows;
using Harness.Proxy.Http1;
using static Harness.Proxy.Tests.Http1.ParserHarness;

namespace Harness.Proxy.Tests.Http1;

public sealed class Http1RequestParserTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void ContentLengthBody_HeadersKeepOrderAndCase(bool bytewise)
    {
        const string wire = "POST http://example.test/a?b=1 HTTP/1.1\r\nHost: example.test\r\nX-CaSe: One\r\ncontent-length: 5\r\nX-CaSe: Two\r\n\r\nhello";
        var parser = new Http1RequestParser();
        var events = bytewise ? FeedBytewise(parser, wire) : Feed(parser, wire);
        Assert.That(Describe(events), Is.EqualTo(new[] { "req:POST http://example.test/a?b=1 HTTP/1.1 ContentLength", "data:hello", "complete" }));
        var head = (Http1RequestHead)events[0];
        Assert.That(head.Headers, Is.EqualTo(new[]
        {
            new HeaderField("Host", "example.test"), new HeaderField("X-CaSe", "One"),
            new HeaderField("content-length", "5"), new HeaderField("X-CaSe", "Two"),
        }));
        Assert.That(head.ContentLength, Is.EqualTo(5));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ChunkedBody_WithExtensionsAndTrailers(bool bytewise)
    {
        const string wire = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" +
                            "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n";
        var parser = new Http1RequestParser();
        var events = bytewise ? FeedBytewise(parser, wire) : Feed(parser, wire);
        Assert.That(Describe(events), Is.EqualTo(new[]
        {
            "req:POST /up HTTP/1.1 Chunked", "data:hello world", "trailers:X-Checksum=abc,X-Other=1", "complete",
        }));
    }

    [Test]
    public void ChunkedBody_UppercaseHexAndNoTrailers()
    {
        var events = Feed(new Http1RequestParser(), "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n");
        Assert.That(Describe(events), Is.EqualTo(new[] { "req:POST / HTTP/1.1 Chunked", "data:0123456789", "complete" }));
    }

    [Test]
    public void PipelinedRequests_AreParsedInOrder()
    {
        const string wire = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nHost: h\r\n\r\n";
        var events = Feed(new Http1RequestParser(), wire);
        Assert.That(Describe(events), Is.EqualTo(new[]
        {
            "req:GET /1 HTTP/1.1 None", "complete", "req:POST /2 HTTP/1.1 ContentLength", "data:abc", "complete", "req:GET /3 HTTP/1.1 None", "complete",
        }));
    }

    [Test]
    public void KeepAlive_SecondRequestInLaterFeed()
    {
        var parser = new Http1RequestParser();
        var first = Feed(parser, "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.That(parser.IsIdle, Is.True);
        var second = Feed(parser, "GET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.That(Describe(first.Concat(second)), Is.EqualTo(new[] { "req:GET /1 HTTP/1.1 None", "complete", "req:GET /2 HTTP/1.1 None", "complete" }));
    }

    [Test]
    public void ExpectContinue_IsFlaggedAndBodyStillParsed()
    {
        var events = Feed(new Http1RequestParser(), "PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok");
        Assert.That(((Http1RequestHead)events[0]).ExpectContinue, Is.True);
        Assert.That(Body(events), Is.EqualTo("ok"));
    }

    [Test]
    public void LeadingEmptyLines_AreIgnored()
    {
        var events = Feed(new Http1RequestParser(), "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.That(Describe(events), Is.EqualTo(new[] { "req:GET / HTTP/1.1 None", "complete" }));
    }

    [Test]
    public void Connect_PausesAndKeepsTheTunnelBytes()
    {
        var parser = new Http1RequestParser();
        var events = Feed(parser, "CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n\x16\x03\x01rest");
        Assert.That(Describe(events), Is.EqualTo(new[] { "req:CONNECT example.test:443 HTTP/1.1 None", "complete" }));
        Assert.That(parser.IsPaused, Is.True);
        Assert.That(parser.TakeRemainder(), Is.EqualTo(System.Text.Encoding.Latin1.GetBytes("\x16\x03\x01rest")));
    }

    [Test]
    public void UpgradeRequest_PausesUntilResumed()
    {
        var parser = new Http1RequestParser();
        var events = Feed(parser, "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.That(Describe(events), Is.EqualTo(new[] { "req:GET /ws HTTP/1.1 None", "complete" }));
        Assert.That(parser.IsPaused, Is.True);
        var resumed = new List<Http1Event>();
        parser.Resume(resumed);
        Assert.That(Describe(resumed), Is.EqualTo(new[] { "req:GET /next HTTP/1.1 None", "complete" }));
    }

    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400, TestName = "Conflicting Content-Length")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\n", 400, TestName = "Conflicting Content-Length list")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400, TestName = "Negative Content-Length")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400, TestName = "Content-Length with Transfer-Encoding")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 501, TestName = "Transfer-Encoding not ending in chunked")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400, TestName = "Double chunked")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\nX-Injected: yes\r\n\r\n", 400, TestName = "Bare LF in headers")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\rX-Injected: yes\r\n\r\n", 400, TestName = "Bare CR in headers")]
    [TestCase("GET / HTTP/1.1\nHost: h\n\n", 400, TestName = "LF-only line endings")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", 400, TestName = "Obsolete line folding")]
    [TestCase("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400, TestName = "Space in header name")]
    [TestCase("GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400, TestName = "Header without colon")]
    [TestCase("GET /  HTTP/1.1\r\nHost: h\r\n\r\n", 400, TestName = "Double space in request line")]
    [TestCase("GET /\r\nHost: h\r\n\r\n", 400, TestName = "Missing version")]
    [TestCase("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400, TestName = "Bad method token")]
    [TestCase("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505, TestName = "Unsupported version")]
    [TestCase("GET / FOO/1.1\r\nHost: h\r\n\r\n", 400, TestName = "Not HTTP")]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, TestName = "Two Host headers")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nX: a\u0001b\r\n\r\n", 400, TestName = "Control character in value")]
    public void MalformedHead_GivesErrorEventAndStops(string wire, int status)
    {
        var parser = new Http1RequestParser();
        var events = Feed(parser, wire + "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(events[0], Is.TypeOf<Http1ParseError>());
        Assert.That(((Http1ParseError)events[0]).StatusCode, Is.EqualTo(status));
        Assert.That(parser.IsDead, Is.True);
        Assert.That(Feed(parser, "GET / HTTP/1.1\r\nHost: h\r\n\r\n"), Is.Empty, "a dead parser ignores input");
    }

    [TestCase("zz\r\n", TestName = "Non-hex chunk size")]
    [TestCase("\r\n", TestName = "Empty chunk size")]
    [TestCase("-5\r\n", TestName = "Negative chunk size")]
    [TestCase("fffffffffffffffffff\r\n", TestName = "Overflowing chunk size")]
    [TestCase("5\nhello\r\n0\r\n\r\n", TestName = "Chunk size with bare LF")]
    [TestCase("5\r\nhelloXX0\r\n\r\n", TestName = "Chunk data without CRLF")]
    public void BadChunks_GiveErrorEvent(string chunks)
    {
        var events = Feed(new Http1RequestParser(), "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);
        Assert.That(events.Last(), Is.TypeOf<Http1ParseError>());
        Assert.That(((Http1ParseError)events.Last()).StatusCode, Is.EqualTo(400));
    }

    [Test]
    public void OversizedHeaderBlock_Gives431WithoutWaitingForTheEnd()
    {
        var parser = new Http1RequestParser(new Http1Limits { MaxHeadBytes = 1024 });
        var events = Feed(parser, "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + new string('a', 2000));
        Assert.That(Describe(events), Is.EqualTo(new[] { "error:431" }));
    }

    [Test]
    public void TooManyHeaders_Gives431()
    {
        var headers = string.Concat(Enumerable.Range(0, 20).Select(i => $"X-{i}: v\r\n"));
        var events = Feed(new Http1RequestParser(new Http1Limits { MaxHeaderCount = 10 }), "GET / HTTP/1.1\r\n" + headers + "\r\n");
        Assert.That(Describe(events), Is.EqualTo(new[] { "error:431" }));
    }

    [Test]
    public void EndlessChunkSizeLine_IsBounded()
    {
        var events = Feed(new Http1RequestParser(new Http1Limits { MaxChunkLineBytes = 100 }),
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;" + new string('x', 500));
        Assert.That(events.Last(), Is.TypeOf<Http1ParseError>());
    }

    [Test]
    public void EofInTheMiddleOfABody_IsAnError_EofBetweenMessagesIsNot()
    {
        var parser = new Http1RequestParser();
        var events = Feed(parser, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc", eof: true);
        Assert.That(Describe(events), Is.EqualTo(new[] { "req:POST / HTTP/1.1 ContentLength", "data:abc", "error:400" }));
        var clean = Feed(new Http1RequestParser(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n", eof: true);
        Assert.That(Describe(clean), Is.EqualTo(new[] { "req:GET / HTTP/1.1 None", "complete" }));
    }

    [Test]
    public void LargeBody_IsEmittedIncrementally_BufferStaysSmall()
    {
        var parser = new Http1RequestParser();
        var events = Feed(parser, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000000\r\n\r\n");
        var chunk = new byte[65536];
        long seen = 0;
        for (var i = 0; i < 100; i++)
        {
            events.Clear();
            parser.Feed(chunk, events);
            seen += events.OfType<Http1BodyData>().Sum(d => d.Data.Length);
        }
        Assert.That(seen, Is.EqualTo(100L * 65536), "every fed body byte is emitted right away, nothing is held back");
    }

    [Test]
    public void RandomGarbage_NeverThrows()
    {
        var random = new Random(1234);
        for (var round = 0; round < 2000; round++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            var prefix = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"u8;
            if (round % 2 == 0 && bytes.Length >= prefix.Length) prefix.CopyTo(bytes);
            var parser = new Http1RequestParser();
            var events = new List<Http1Event>();
            Assert.DoesNotThrow(() =>
            {
                for (var i = 0; i < bytes.Length; i += 7) parser.Feed(bytes.AsSpan(i, Math.Min(7, bytes.Length - i)), events);
                parser.FeedEof(events);
            });
        }
    }
}
