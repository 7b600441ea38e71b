using Harness.Proxy.Http1;

namespace Harness.Proxy.Tests.Http1;

/// <summary>Content-Length and Transfer-Encoding lists that are valid: how the body is framed, read from every field and list element.</summary>
public sealed class Http1FramingHeaderTests
{
    private static Http1RequestHead Head(string headers) =>
        (Http1RequestHead)ParserHarness.Feed(new Http1RequestParser(), "POST / HTTP/1.1\r\nHost: h\r\n" + headers + "\r\n")[0];

    [TestCase("Content-Length: 5\r\n", 5)]
    [TestCase("Content-Length: 5, 5\r\n", 5)]
    [TestCase("Content-Length:  007 \r\nContent-Length: 7\r\n", 7)]
    [TestCase("content-length: 123456789012345678\r\n", 123456789012345678)]
    public void RepeatedIdenticalContentLengths_AreOneLength(string headers, long length)
    {
        var head = Head(headers);
        Assert.That((head.Framing, head.ContentLength), Is.EqualTo((Http1BodyFraming.ContentLength, (long?)length)));
    }

    [TestCase("Transfer-Encoding: gzip, chunked\r\n")]
    [TestCase("Transfer-Encoding: gzip\r\nTransfer-Encoding: CHUNKED\r\n")]
    [TestCase("Transfer-Encoding: , chunked ,\r\n")]
    public void ChunkedAsTheLastCoding_IsChunked(string headers) =>
        Assert.That(Head(headers).Framing, Is.EqualTo(Http1BodyFraming.Chunked));

    [TestCase("Content-Length: 5 5\r\n", 400)]
    [TestCase("Content-Length: 1234567890123456789\r\n", 400)]
    [TestCase("Content-Length: ,\r\n", 400)]
    [TestCase("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", 501)]
    [TestCase("Transfer-Encoding: chunked, gzip, chunked\r\n", 400)]
    public void MalformedFraming_IsRefused(string headers, int status)
    {
        var events = ParserHarness.Feed(new Http1RequestParser(), "POST / HTTP/1.1\r\nHost: h\r\n" + headers + "\r\n");
        Assert.That(((Http1ParseError)events[0]).StatusCode, Is.EqualTo(status));
    }
}
