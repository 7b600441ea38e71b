using Harness.Flows;
using Harness.Proxy.Http2;
using static Harness.Proxy.Tests.Http2.Http2Playbook;

namespace Harness.Proxy.Tests.Http2;

public sealed class Http2HeaderTranslationTests
{
    [Test]
    public void Http1Request_BecomesPseudoHeadersWithoutConnectionSpecificFields()
    {
        var fields = Http2HeaderTranslation.ToHttp2Request("POST", "https", null, "/up?x=1",
        [
            new("Host", "example.test"), new("Connection", "keep-alive, X-Hop"), new("X-Hop", "1"), new("Keep-Alive", "timeout=5"),
            new("Transfer-Encoding", "chunked"), new("TE", "trailers, deflate"), new("Content-Type", "text/plain"), new("Upgrade", "h2c"),
        ]);
        Assert.That(fields, Is.EqualTo(Fields(":method=POST", ":scheme=https", ":authority=example.test", ":path=/up?x=1", "te=trailers", "content-type=text/plain")));
    }

    [Test]
    public void Connect_HasOnlyMethodAndAuthority()
    {
        Assert.That(Http2HeaderTranslation.ToHttp2Request("CONNECT", "https", "example.test:443", null, []), Is.EqualTo(Fields(":method=CONNECT", ":authority=example.test:443")));
    }

    [Test]
    public void Http2Request_BecomesHostAndOneCookieHeader()
    {
        var headers = Http2HeaderTranslation.ToHttp1Headers(Fields(":method=GET", ":scheme=https", ":authority=example.test", ":path=/", "cookie=a=1", "accept=*/*", "cookie=b=2"));
        Assert.That(headers, Is.EqualTo(new[] { new HeaderField("host", "example.test"), new HeaderField("cookie", "a=1; b=2"), new HeaderField("accept", "*/*") }));
    }

    [Test]
    public void Http1Response_BecomesStatusAndLowerCaseFields()
    {
        Assert.That(Http2HeaderTranslation.ToHttp2Response(200, [new("Content-Length", "5"), new("Connection", "close"), new("Set-Cookie", "a=1")]),
            Is.EqualTo(Fields(":status=200", "content-length=5", "set-cookie=a=1")));
    }
}
