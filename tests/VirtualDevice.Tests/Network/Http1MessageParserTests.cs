using System.Text;
using Harness.VirtualDevice.Network.Http;

namespace Harness.VirtualDevice.Tests.Network;

[TestFixture]
public sealed class Http1MessageParserTests
{
    [Test]
    public void Chunked_response_fed_one_byte_at_a_time_is_reassembled()
    {
        var bytes = Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
        var parser = new Http1MessageParser(Http1MessageKind.Response);

        foreach (var b in bytes)
        {
            Assert.That(parser.IsComplete, Is.False);
            Assert.That(parser.Feed([b]), Is.EqualTo(1));
        }

        Assert.That(parser.IsComplete, Is.True);
        Assert.That(Encoding.ASCII.GetString(parser.Message!.Body), Is.EqualTo("hello world"));
        Assert.That(parser.Message.Header("content-type"), Is.EqualTo("text/plain"));
    }

    [Test]
    public void Content_length_body_stops_at_the_length_and_leaves_the_rest_unconsumed()
    {
        var bytes = Encoding.ASCII.GetBytes("POST /sa?project=p HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n");
        var parser = new Http1MessageParser(Http1MessageKind.Request);

        var consumed = parser.Feed(bytes);

        Assert.That(parser.IsComplete, Is.True);
        Assert.That(Encoding.ASCII.GetString(bytes, consumed, bytes.Length - consumed), Is.EqualTo("GET / HTTP/1.1\r\n"));
        Assert.Multiple(() =>
        {
            Assert.That(parser.Message!.Method, Is.EqualTo("POST"));
            Assert.That(parser.Message.Target, Is.EqualTo("/sa?project=p"));
            Assert.That(parser.Message.Body, Is.EqualTo("abc"u8.ToArray()));
        });
    }

    [Test]
    public void Response_without_length_reads_until_the_peer_closes()
    {
        var parser = new Http1MessageParser(Http1MessageKind.Response);
        parser.Feed(Encoding.ASCII.GetBytes("HTTP/1.0 200 OK\r\n\r\npart one "));
        parser.Feed(Encoding.ASCII.GetBytes("part two"));
        Assert.That(parser.IsComplete, Is.False);

        parser.FeedEndOfStream();

        Assert.That(Encoding.ASCII.GetString(parser.Message!.Body), Is.EqualTo("part one part two"));
        Assert.That(parser.Message.KeepsConnectionAlive, Is.False);
    }

    [Test]
    public void Interim_100_continue_is_skipped_and_204_has_no_body()
    {
        var parser = new Http1MessageParser(Http1MessageKind.Response);

        parser.Feed(Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"));

        Assert.That(parser.IsComplete, Is.True);
        Assert.That(parser.Message!.StatusCode, Is.EqualTo(204));
        Assert.That(parser.Message.Body, Is.Empty);
    }

    [Test]
    public void Response_to_head_has_no_body_despite_content_length()
    {
        var parser = new Http1MessageParser(Http1MessageKind.Response, responseToHead: true);

        parser.Feed(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"));

        Assert.That(parser.IsComplete, Is.True);
        Assert.That(parser.Message!.Body, Is.Empty);
    }

    [Test]
    public void Truncated_body_and_garbage_are_protocol_errors()
    {
        var truncated = new Http1MessageParser(Http1MessageKind.Response);
        truncated.Feed(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));

        Assert.Throws<Http1ProtocolException>(truncated.FeedEndOfStream);
        Assert.Throws<Http1ProtocolException>(() => new Http1MessageParser(Http1MessageKind.Response).Feed(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH\r\n\r\n")));
        Assert.Throws<Http1ProtocolException>(() => new Http1MessageParser(Http1MessageKind.Response).Feed(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")));
    }

    [Test]
    public void Serializer_adds_host_first_and_content_length_for_a_body()
    {
        var bytes = Http1RequestSerializer.Serialize("POST", "/sa", "sa.api.intl.miui.com", [new("User-Agent", "UA")], "xyz"u8, hasBody: true);

        Assert.That(
            Encoding.ASCII.GetString(bytes),
            Is.EqualTo("POST /sa HTTP/1.1\r\nHost: sa.api.intl.miui.com\r\nUser-Agent: UA\r\nContent-Length: 3\r\n\r\nxyz"));
        Assert.Throws<ArgumentException>(() => Http1RequestSerializer.Serialize("GET", "/", "h", [new("X", "a\r\nInjected: 1")], [], false));
    }
}
