using Harness.Flows;
using Harness.Proxy.Http1;
using Harness.Proxy.Layers;
using Harness.Proxy.Tests.Http1;

namespace Harness.Proxy.Tests.Layers;

/// <summary>Where a request goes, whether the client keeps its connection, what goes upstream: decided from parsed bytes alone.</summary>
public sealed class Http1RequestRoutingTests
{
    private static Http1RequestHead Head(string wire) => (Http1RequestHead)ParserHarness.Feed(new Http1RequestParser(), wire)[0];

    [TestCase("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false)]
    [TestCase("GET / HTTP/1.0\r\nHost: a\r\n\r\n", false)]
    [TestCase("GET / HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n", true)]
    // Connection is a comma-separated token list, in any case, over one or more fields.
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade ,  CLOSE\r\n\r\n", false)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nConnection: te,close\r\n\r\n", false)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nConnection: closed, enclose\r\n\r\n", true)]
    [TestCase("GET / HTTP/1.0\r\nHost: a\r\nConnection: TE, Keep-Alive\r\n\r\n", true)]
    public void KeepAlive_FollowsTheVersionAndTheConnectionHeader(string wire, bool keepAlive) =>
        Assert.That(Http1RequestRouting.ClientWantsKeepAlive(Head(wire)), Is.EqualTo(keepAlive));

    [Test]
    public void AbsoluteForm_GoesToItsAuthority_AndTheOriginGetsOriginForm()
    {
        Assert.That(Http1RequestRouting.TryResolveTarget(Head("GET http://o.test:8080?q=1 HTTP/1.1\r\nHost: o.test:8080\r\n\r\n"), "http", null, 0,
            out var host, out var port, out var scheme, out var originTarget, out var url), Is.True);
        Assert.That((host, port, scheme, originTarget, url), Is.EqualTo(("o.test", 8080, "http", "/?q=1", "http://o.test:8080/?q=1")));
    }

    [Test]
    public void InsideATunnel_TheConnectTargetDecides_AndTheUrlShowsTheHostHeader()
    {
        Assert.That(Http1RequestRouting.TryResolveTarget(Head("GET /p HTTP/1.1\r\nHost: shown.test\r\n\r\n"), "https", "::1", 8443,
            out var host, out var port, out _, out _, out var url), Is.True);
        Assert.That((host, port, url), Is.EqualTo(("::1", 8443, "https://shown.test/p")));
        Assert.That(Http1RequestRouting.TryResolveTarget(Head("GET /p HTTP/1.1\r\n\r\n"), "https", "::1", 8443, out _, out _, out _, out _, out url), Is.True);
        Assert.That(url, Is.EqualTo("https://[::1]:8443/p"));
    }

    [Test]
    public void OriginFormWithoutHost_HasNowhereToGo() =>
        Assert.That(Http1RequestRouting.TryResolveTarget(Head("GET /p HTTP/1.1\r\n\r\n"), "http", null, 0, out _, out _, out _, out _, out _), Is.False);

    [Test]
    public void UpstreamHeaders_DropProxyFields_AndExpectWeAnswered()
    {
        var head = Head("POST http://o.test/ HTTP/1.1\r\nHost: o.test\r\nProxy-Connection: keep-alive\r\nProxy-Authorization: Basic eA==\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n");
        Assert.That(Http1RequestRouting.UpstreamHeaders(head), Is.EqualTo(new[] { new HeaderField("Host", "o.test"), new HeaderField("Content-Length", "1") }));
    }

    [Test]
    public void WebSocketAccept_IsTheRfc6455Example() =>
        Assert.That(Http1RequestRouting.WebSocketAccept("dGhlIHNhbXBsZSBub25jZQ=="), Is.EqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}
