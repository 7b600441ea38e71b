using Harness.Flows;
using Harness.Proxy.Http2;
using Harness.Proxy.Http2Proxy;

namespace Harness.Proxy.Tests.Layers;

/// <summary>Fields between an HTTP/2 stream and HTTP/1.1: Host first, one Cookie line, framing, no connection-specific fields.</summary>
public sealed class Http2TranslationTests
{
    private static Http2RequestReceived Request(bool endStream, params HeaderField[] regular) =>
        new(1, [new(":method", "POST"), new(":scheme", "https"), new(":authority", "o.test:8443"), new(":path", "/p?q=1"), .. regular], endStream);

    [Test]
    public void ToHttp1_PutsHostFirst_JoinsCookies_AndChunksAnUnsizedBody()
    {
        var headers = Http2Translation.ToHttp1RequestHeaders(Request(false, new HeaderField("cookie", "a=1"), new HeaderField("user-agent", "x"), new HeaderField("cookie", "b=2"), new HeaderField("te", "trailers")), "o.test:8443", hasBody: true);
        Assert.That(headers, Is.EqualTo(new HeaderField[]
        {
            new("Host", "o.test:8443"), new("user-agent", "x"), new("te", "trailers"), new("cookie", "a=1; b=2"), new("transfer-encoding", "chunked"),
        }));
    }

    [Test]
    public void ToHttp1_KeepsContentLength_AndAddsNoFramingWithoutABody()
    {
        Assert.That(Http2Translation.ToHttp1RequestHeaders(Request(false, new HeaderField("content-length", "3")), "o.test", hasBody: true).Select(h => h.Name),
            Is.EqualTo(new[] { "Host", "content-length" }));
        Assert.That(Http2Translation.ToHttp1RequestHeaders(Request(true), "o.test", hasBody: false).Select(h => h.Name), Is.EqualTo(new[] { "Host" }));
    }

    [Test]
    public void ToHttp2Response_LowerCasesNames_AndDropsConnectionSpecificFields()
    {
        var fields = Http2Translation.ToHttp2ResponseFields(200, [new("Content-Type", "text/html"), new("Connection", "keep-alive"), new("Keep-Alive", "timeout=5"), new("Transfer-Encoding", "chunked"), new("Set-Cookie", "s=1")]);
        Assert.That(fields, Is.EqualTo(new HeaderField[] { new(":status", "200"), new("content-type", "text/html"), new("set-cookie", "s=1") }));
    }

    [Test]
    public void Resolve_UsesAuthority_OrTheTunnelWhenTheClientNamedNone()
    {
        Assert.That(Http2Translation.TryResolve(Request(true), "https", null, 0, out var host, out var port, out var scheme, out var url), Is.True);
        Assert.That((host, port, scheme, url), Is.EqualTo(("o.test", 8443, "https", "https://o.test:8443/p?q=1")));
        var bare = new Http2RequestReceived(3, [new(":method", "GET"), new(":scheme", "https"), new(":path", "/")], true);
        Assert.That(Http2Translation.TryResolve(bare, "https", "t.test", 443, out host, out port, out _, out url), Is.True);
        Assert.That((host, port, url), Is.EqualTo(("t.test", 443, "https://t.test/")));
        Assert.That(Http2Translation.TryResolve(bare, "http", null, 0, out _, out _, out _, out _), Is.False);
    }
}
