using System.Text;
using Harness.Flows;
using Harness.Proxy.Capture;
using Harness.Proxy.Http1;
using Harness.Proxy.Layers;

namespace Harness.Proxy.Tests.Layers;

/// <summary>The upstream HTTP/1.1 response layer, driven with origin bytes; its commands for the client are checked.</summary>
public sealed class Http1ResponseRelayLayerTests
{
    private static Http1RequestHead Get(bool expectContinue = false, string method = "GET", params HeaderField[] headers) =>
        new(method, "/", "HTTP/1.1", [new HeaderField("Host", "o.test"), .. headers], Http1BodyFraming.None, null, expectContinue);

    private static (Http1Playbook Playbook, Http1ResponseRelayLayer Layer, Flow Flow) Start(Http1RequestHead request)
    {
        var flow = new FlowFactory().Flow();
        var layer = new Http1ResponseRelayLayer(request, flow, new BodyCapture(1 << 20), TimeProvider.System);
        var parser = new Http1ResponseParser();
        parser.ExpectResponseTo(request.Method);
        return (new Http1Playbook(parser, layer.Handle) { Done = () => layer.Outcome is not null }, layer, flow);
    }

    [Test]
    public void SizedResponse_HeadSharesTheFirstBodyBytes_AndBothConnectionsStayOpen()
    {
        var (play, layer, flow) = Start(Get());
        Assert.That(play.Feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), Is.EqualTo(new[] { "hook response-headers" }));
        Assert.That(layer.Started, Is.True);
        Assert.That(play.Feed("hello"), Is.EqualTo(new[] { "client< HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "flush client" }));
        Assert.That(layer.Outcome, Is.EqualTo(new Http1ResponseOutcome(ClientKeepAlive: true, UpstreamKeepAlive: true, SwitchedProtocols: false)));
        Assert.That(Encoding.ASCII.GetString(flow.ResponseBody!.Raw), Is.EqualTo("hello"));
        Assert.That(flow.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public void ChunkedResponse_StaysChunked_WithItsTrailers()
    {
        var (play, layer, flow) = Start(Get());
        var lines = play.Feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 5\r\n\r\n");
        Assert.That(lines, Is.EqualTo(new[]
        {
            "hook response-headers",
            "client< HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n",
            "client< 3\r\n", "client< abc", "client< \r\n",
            "client< 2\r\n", "client< de", "client< \r\n",
            "client< 0\r\nX-Sum: 5\r\n\r\n",
            "flush client",
        }));
        Assert.That(flow.ResponseTrailers, Is.EqualTo(new[] { new HeaderField("X-Sum", "5") }));
        Assert.That(layer.Outcome!.Value.UpstreamKeepAlive, Is.True);
    }

    [TestCase("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", true, false)]
    [TestCase("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", true, false)]
    [TestCase("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true, true)]
    public void KeepAlive_FollowsTheOriginsVersionAndConnectionHeader(string response, bool clientKeepAlive, bool upstreamKeepAlive)
    {
        var (play, layer, _) = Start(Get());
        play.Feed(response);
        Assert.That(layer.Outcome, Is.EqualTo(new Http1ResponseOutcome(clientKeepAlive, upstreamKeepAlive, false)));
    }

    [Test]
    public void BodyUntilClose_EndsWithTheOriginsClose_AndClosesTheClientToo()
    {
        var (play, layer, flow) = Start(Get());
        play.Feed("HTTP/1.1 200 OK\r\n\r\npart one ");
        Assert.That(layer.Outcome, Is.Null);
        play.Feed("part two", eof: true);
        Assert.That(layer.Outcome, Is.EqualTo(new Http1ResponseOutcome(ClientKeepAlive: false, UpstreamKeepAlive: false, SwitchedProtocols: false)));
        Assert.That(Encoding.ASCII.GetString(flow.ResponseBody!.Raw), Is.EqualTo("part one part two"));
    }

    [Test]
    public void ContinueWeAnsweredOurselves_IsDropped_OtherInterimResponsesAreRelayedAndFlushed()
    {
        var (play, _, _) = Start(Get(expectContinue: true, method: "POST"));
        Assert.That(play.Feed("HTTP/1.1 100 Continue\r\n\r\n"), Is.Empty);
        Assert.That(play.Feed("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"),
            Is.EqualTo(new[] { "client< HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n", "flush client" }));
    }

    [Test]
    public void UpgradeToWebSocket_SwitchesProtocols_AndLeavesTheFramesForTheRelay()
    {
        var request = Get(headers: [new HeaderField("Connection", "Upgrade"), new HeaderField("Upgrade", "websocket")]);
        var flow = new FlowFactory().Flow();
        var layer = new Http1ResponseRelayLayer(request, flow, new BodyCapture(1024), TimeProvider.System);
        var parser = new Http1ResponseParser();
        parser.ExpectResponseTo("GET");
        var play = new Http1Playbook(parser, layer.Handle) { Done = () => layer.Outcome is not null };
        var lines = play.Feed("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x02hi");
        Assert.That(lines, Is.EqualTo(new[]
        {
            "hook response-headers",
            "client< HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
            "flush client",
        }));
        Assert.That(layer.Outcome, Is.EqualTo(new Http1ResponseOutcome(ClientKeepAlive: true, UpstreamKeepAlive: false, SwitchedProtocols: true)));
        Assert.That(parser.IsPaused, Is.True);
        Assert.That(parser.TakeRemainder(), Is.EqualTo(new byte[] { 0x81, 0x02, (byte)'h', (byte)'i' }));
    }

    [Test]
    public void OriginClosingMidBody_IsAnUpstreamFailure_AfterTheResponseStarted()
    {
        var (play, layer, _) = Start(Get());
        play.Feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        var failure = Assert.Throws<UpstreamException>(() => play.Feed("", eof: true))!;
        Assert.That(failure.Message, Does.Contain("closed the connection before the response was complete").Or.Contain("bad response"));
        // The client already has bytes of this response: the proxy must not answer 502 on top of them.
        var decided = ExchangeFailure.Of(failure, proxyStopping: false, responseStarted: layer.Started);
        Assert.That(decided.Response, Is.Null);
        Assert.That(decided.Error.Kind, Is.EqualTo(FlowErrorKind.UpstreamError));
    }
}
