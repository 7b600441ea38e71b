using System.Text;
using Harness.Flows;
using Harness.Proxy.Http1;

namespace Harness.Proxy.Tests.Http1;

/// <summary>Heads and chunk framing as they go on the wire: names and values exactly as given, Latin1, sized exactly.</summary>
public sealed class Http1WriterTests
{
    private static string Wire(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    [Test]
    public void RequestHead_KeepsNamesValuesAndOrder()
    {
        var head = Http1Writer.RequestHead("POST", "/p?q=1", "HTTP/1.1", [new HeaderField("Host", "o.test"), new HeaderField("x-Mixed-Case", "a, b"), new HeaderField("Empty", "")]);
        Assert.That(Wire(head), Is.EqualTo("POST /p?q=1 HTTP/1.1\r\nHost: o.test\r\nx-Mixed-Case: a, b\r\nEmpty: \r\n\r\n"));
    }

    [Test]
    public void ResponseHead_WithoutHeaders_AndALatin1Value_AndACharBeyondLatin1()
    {
        Assert.That(Wire(Http1Writer.ResponseHead("HTTP/1.0", 204, "No Content", [])), Is.EqualTo("HTTP/1.0 204 No Content\r\n\r\n"));
        var head = Http1Writer.ResponseHead("HTTP/1.1", 200, "OK", [new HeaderField("X-Name", "caf\u00e9 \u4e2d")]);
        Assert.That(head, Is.EqualTo(Encoding.Latin1.GetBytes("HTTP/1.1 200 OK\r\nX-Name: caf\u00e9 ?\r\n\r\n")));
    }

    [TestCase(0, "0\r\n")]
    [TestCase(10, "a\r\n")]
    [TestCase(16384, "4000\r\n")]
    [TestCase(int.MaxValue, "7fffffff\r\n")]
    public void ChunkHeader_IsLowerCaseHex(int length, string wire) => Assert.That(Wire(Http1Writer.ChunkHeader(length)), Is.EqualTo(wire));

    [Test]
    public void LastChunk_CarriesTheTrailers()
    {
        Assert.That(Wire(Http1Writer.LastChunk(null)), Is.EqualTo("0\r\n\r\n"));
        Assert.That(Wire(Http1Writer.LastChunk([new HeaderField("X-Sum", "5"), new HeaderField("X-B", "b")])), Is.EqualTo("0\r\nX-Sum: 5\r\nX-B: b\r\n\r\n"));
    }
}
