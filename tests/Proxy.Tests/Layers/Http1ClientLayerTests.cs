using System.Net.Sockets;
using System.Text;
using Harness.Flows;
using Harness.Proxy.Addons;
using Harness.Proxy.Layers;

namespace Harness.Proxy.Tests.Layers;

/// <summary>
/// The client's HTTP/1.1 connection layer, driven with client and origin bytes; the exact commands it gives its pump
/// are checked, and every exchange is one completed flow.
/// </summary>
public sealed class Http1ClientLayerTests
{
    private const string Get = "GET http://o.test/a HTTP/1.1\r\nHost: o.test\r\n\r\n";
    private const string UpstreamGet = "upstream< GET /a HTTP/1.1\r\nHost: o.test\r\n\r\n";
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";

    private static readonly string[] UpstreamRequest =
    [
        "open flow Http http o.test:80", "hook request-headers", "connect o.test:80", UpstreamGet, "expect response to GET",
        "flush upstream", "hook request-complete",
    ];

    private static readonly string[] RelayedOk =
        ["hook response-headers", "client< " + Ok, "flush client", "hook response-complete", "complete flow"];

    private static string Answer(int status, string reason, string body) =>
        $"client<? HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    private static Action<ProxySession> AnswerLocally(string answeredBy = ProxySession.AnsweredByHandler) =>
        s => s.Respond(LocalResponse.Text(200, "OK", "text/plain", "local"), answeredBy);

    [Test]
    public void KeepAlive_TwoRequests_AreTwoFlows_OnOneConnection()
    {
        var play = new Http1ClientPlaybook();
        Assert.That(play.Client(Get), Is.EqualTo(UpstreamRequest));
        Assert.That(play.Upstream(Ok), Is.EqualTo(RelayedOk));
        Assert.That(play.Layer.Wants, Is.EqualTo(Http1ClientWants.ClientEvent));
        // The pump reuses the origin connection it holds when it matches; the layer only says where the request goes.
        Assert.That(play.Client(Get), Is.EqualTo(UpstreamRequest));
        Assert.That(play.Upstream(Ok), Is.EqualTo(RelayedOk));
        Assert.That(play.ClientCloses(), Is.EqualTo(new[] { "close" }));
        Assert.That(play.Completed.Select(f => (f.Url, f.StatusCode, f.Tags[ClientConnection.AnsweredByTag])), Is.EqualTo(new[]
        {
            ("http://o.test/a", (int?)200, ClientConnection.AnsweredByUpstream),
            ("http://o.test/a", (int?)200, ClientConnection.AnsweredByUpstream),
        }));
        Assert.That(play.Layer.RequestsServed, Is.EqualTo(2));
        Assert.That(play.OpenFlows, Is.Zero);
    }

    [TestCase("BAD\r\n\r\n", 400, "Bad Request", "bad request line 'BAD'")]
    [TestCase("GET / HTTP/2.5\r\nHost: o.test\r\n\r\n", 505, "HTTP Version Not Supported", "HTTP version 'HTTP/2.5' not supported")]
    [TestCase("POST / HTTP/1.1\r\nHost: o.test\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "Not Implemented", "unsupported Transfer-Encoding")]
    public void ParseError_IsAnsweredWithItsStatus_RecordedAsAProtocolErrorFlow_AndCloses(string wire, int status, string reason, string message)
    {
        var play = new Http1ClientPlaybook();
        Assert.That(play.Client(wire), Is.EqualTo(new[]
        {
            "open flow Connection http :0", Answer(status, reason, message + "\n"), "complete flow", "close",
        }));
        var flow = play.Completed.Single();
        Assert.That((flow.Error!.Kind, flow.Error.Message, flow.StatusCode, flow.Reason), Is.EqualTo((FlowErrorKind.ProtocolError, message, (int?)status, reason)));
        Assert.That(play.Layer.Wants, Is.EqualTo(Http1ClientWants.Nothing));
    }

    [Test]
    public void TargetWithoutHost_Is400_AndAFlowNamingIt()
    {
        var play = new Http1ClientPlaybook();
        Assert.That(play.Client("GET /x HTTP/1.1\r\n\r\n"), Is.EqualTo(new[]
        {
            "open flow Http http :0", Answer(400, "Bad Request", "request target must be absolute-form or have a Host header\n"), "complete flow", "close",
        }));
        var flow = play.Completed.Single();
        Assert.That((flow.Method, flow.StatusCode, flow.Error!.Kind), Is.EqualTo(("GET", (int?)400, FlowErrorKind.ProtocolError)));
    }

    [Test]
    public void LocalAnswer_WithoutABody_GoesNowhereUpstream()
    {
        var play = new Http1ClientPlaybook { OnRequestHeaders = AnswerLocally() };
        Assert.That(play.Client(Get), Is.EqualTo(new[]
        {
            "open flow Http http o.test:80", "hook request-headers", "hook request-complete", "hook response-headers",
            "client< HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nlocal", "flush client",
            "hook response-complete", "complete flow",
        }));
        var flow = play.Completed.Single();
        Assert.That(flow.Tags[ClientConnection.AnsweredByTag], Is.EqualTo(ProxySession.AnsweredByHandler));
        Assert.That(Encoding.ASCII.GetString(flow.ResponseBody!.Raw), Is.EqualTo("local"));
        Assert.That(play.Layer.Wants, Is.EqualTo(Http1ClientWants.ClientEvent));
    }

    [Test]
    public void LocalAnswer_WithARequestBody_ReadsTheBodyIntoTheFlowFirst()
    {
        var play = new Http1ClientPlaybook { OnRequestHeaders = AnswerLocally(SinkholeAddon.AnsweredBy) };
        Assert.That(play.Client("POST http://o.test/up HTTP/1.1\r\nHost: o.test\r\nContent-Length: 5\r\n\r\n"),
            Is.EqualTo(new[] { "open flow Http http o.test:80", "hook request-headers" }));
        Assert.That(play.Client("hello"), Is.EqualTo(new[]
        {
            "hook request-complete", "hook response-headers",
            "client< HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nlocal", "flush client",
            "hook response-complete", "complete flow",
        }));
        var flow = play.Completed.Single();
        Assert.That(Encoding.ASCII.GetString(flow.RequestBody!.Raw), Is.EqualTo("hello"));
        Assert.That(flow.Tags[ClientConnection.AnsweredByTag], Is.EqualTo(SinkholeAddon.AnsweredBy));
    }

    [Test]
    public void ExpectContinue_IsAnsweredByUs_StrippedUpstream_AndTheOriginsOwn100Dropped()
    {
        var play = new Http1ClientPlaybook();
        Assert.That(play.Client("POST http://o.test/up HTTP/1.1\r\nHost: o.test\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"), Is.EqualTo(new[]
        {
            "open flow Http http o.test:80", "hook request-headers", "client< HTTP/1.1 100 Continue\r\n\r\n", "flush client",
            "connect o.test:80", "upstream< POST /up HTTP/1.1\r\nHost: o.test\r\nContent-Length: 3\r\n\r\n", "expect response to POST",
        }));
        Assert.That(play.Client("abc"), Is.EqualTo(new[] { "upstream< abc", "flush upstream", "hook request-complete" }));
        Assert.That(play.Upstream("HTTP/1.1 100 Continue\r\n\r\n" + Ok), Is.EqualTo(RelayedOk));
    }

    [Test]
    public void UpstreamConnectFailing_Is502_OnTheExchangesFlow()
    {
        var play = new Http1ClientPlaybook { ConnectFailure = new UpstreamException("cannot connect to o.test:80", new SocketException((int)SocketError.ConnectionRefused)) };
        var lines = play.Client(Get);
        Assert.That(lines.Take(3), Is.EqualTo(new[] { "open flow Http http o.test:80", "hook request-headers", "connect o.test:80" }));
        Assert.That(lines.Skip(3).Select(l => l.Split("\r\n")[0]), Is.EqualTo(new[] { "close upstream", "client<? HTTP/1.1 502 Bad Gateway", "complete flow", "close" }));
        var flow = play.Completed.Single();
        Assert.That((flow.Error!.Kind, flow.Tags[ExchangeFailure.ProxyStatusTag]), Is.EqualTo((FlowErrorKind.UpstreamError, "502")));
    }

    [Test]
    public void UpstreamFailing_OnTheSecondRequest_Is502_ThoughTheFirstResponseWasRelayed()
    {
        var play = new Http1ClientPlaybook();
        play.Client(Get);
        play.Upstream(Ok);
        // The origin closed the kept connection and a new one is refused: before this exchange's response, so a 502.
        play.ConnectFailure = new UpstreamException("cannot connect to o.test:80", new IOException("connection refused"));
        var lines = play.Client(Get);
        Assert.That(lines.Skip(3).Select(l => l.Split("\r\n")[0]), Is.EqualTo(new[] { "close upstream", "client<? HTTP/1.1 502 Bad Gateway", "complete flow", "close" }));
        Assert.That(play.Completed.Select(f => f.Error?.Kind), Is.EqualTo(new FlowErrorKind?[] { null, FlowErrorKind.UpstreamError }));
        Assert.That(play.OpenFlows, Is.Zero);
    }

    [Test]
    public void UpstreamTimingOut_BeforeTheResponse_Is504()
    {
        var play = new Http1ClientPlaybook();
        play.Client(Get);
        var lines = play.UpstreamReadFails(new TimeoutException("no data for 30 s"));
        Assert.That(lines.Select(l => l.Split("\r\n")[0]), Is.EqualTo(new[] { "close upstream", "client<? HTTP/1.1 504 Gateway Timeout", "complete flow", "close" }));
        var flow = play.Completed.Single();
        Assert.That((flow.Error!.Kind, flow.Error.Message), Is.EqualTo((FlowErrorKind.Timeout, "upstream did not answer in time: no data for 30 s")));
    }

    [Test]
    public void UpstreamClosing_AfterTheResponseStarted_AddsNoAnswer_AndKeepsWhatCame()
    {
        var play = new Http1ClientPlaybook();
        play.Client(Get);
        Assert.That(play.Upstream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"), Is.EqualTo(new[] { "hook response-headers" }));
        Assert.That(play.Upstream("abc"), Is.EqualTo(new[] { "client< HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc" }));
        Assert.That(play.UpstreamCloses(), Is.EqualTo(new[] { "close upstream", "complete flow", "close" }));
        var flow = play.Completed.Single();
        Assert.That((flow.StatusCode, flow.Error!.Kind), Is.EqualTo(((int?)200, FlowErrorKind.UpstreamError)));
        Assert.That(flow.Tags.ContainsKey(ExchangeFailure.ProxyStatusTag), Is.False);
        Assert.That(Encoding.ASCII.GetString(flow.ResponseBody!.Raw), Is.EqualTo("abc"));
    }

    [Test]
    public void ClientClosingMidBody_IsAClientAbort_ThatLeavesTheOriginConnectionAndAnswersNothing()
    {
        var play = new Http1ClientPlaybook();
        play.Client("POST http://o.test/up HTTP/1.1\r\nHost: o.test\r\nContent-Length: 10\r\n\r\n");
        Assert.That(play.Client("abc"), Is.EqualTo(new[] { "upstream< abc" }));
        Assert.That(play.ClientCloses(), Is.EqualTo(new[] { "complete flow", "close" }));
        var flow = play.Completed.Single();
        Assert.That(flow.Error!.Kind, Is.EqualTo(FlowErrorKind.ClientAbort));
        Assert.That(Encoding.ASCII.GetString(flow.RequestBody!.Raw), Is.EqualTo("abc"));
        Assert.That(flow.Timings.RequestDone, Is.Not.Null);
    }

    [Test]
    public void Http10_WithoutKeepAlive_ClosesAfterTheExchange()
    {
        var play = new Http1ClientPlaybook();
        var lines = play.Client("GET http://o.test/a HTTP/1.0\r\n\r\n");
        Assert.That(lines, Does.Contain("upstream< GET /a HTTP/1.0\r\n\r\n"));
        Assert.That(play.Upstream(Ok), Is.EqualTo(RelayedOk.Append("close")));
        Assert.That(play.Layer.Wants, Is.EqualTo(Http1ClientWants.Nothing));
    }

    [Test]
    public void Http10_LocalAnswer_SaysHttp10_AndConnectionClose()
    {
        var play = new Http1ClientPlaybook { OnRequestHeaders = AnswerLocally() };
        var lines = play.Client("HEAD http://o.test/a HTTP/1.0\r\n\r\n");
        Assert.That(lines, Does.Contain("client< HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"),
            "HEAD: the head only");
        Assert.That(lines[^1], Is.EqualTo("close"));
    }

    [TestCase("\x16\x03\x01\x02\x00", "intercept tls o.test:8443")]
    [TestCase("GET / HTTP/1.1\r\n", "serve plain tunnel o.test:8443")]
    [TestCase("\x00\x01xmpp", "relay opaque tunnel o.test:8443")]
    public void Connect_IsAnswered_AndTheFirstBytesDecideTheTunnel_WhichThePumpServes(string first, string tunnel)
    {
        var play = new Http1ClientPlaybook();
        Assert.That(play.Client("CONNECT o.test:8443 HTTP/1.1\r\nHost: o.test:8443\r\n\r\n"), Is.EqualTo(new[]
        {
            "client< HTTP/1.1 200 Connection established\r\n\r\n", "flush client",
        }));
        Assert.That(play.Layer.Wants, Is.EqualTo(Http1ClientWants.TunnelStart));
        Assert.That(play.TunnelStarts(first), Is.EqualTo(new[] { tunnel, "close" }));
        // The tunnel's own flows are the pump's (TLS outcome, opaque bytes); the CONNECT adds none.
        Assert.That(play.Completed, Is.Empty);
        Assert.That(play.Layer.RequestsServed, Is.EqualTo(1));
    }

    [Test]
    public void Connect_ThatTheClientNeverUses_IsATunnelFlow_StartingAtTheConnect()
    {
        var connectAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var clock = new ManualClock(connectAt);
        var play = new Http1ClientPlaybook(time: clock);
        play.Client("CONNECT o.test:443 HTTP/1.1\r\nHost: o.test:443\r\n\r\n");
        // The client stays silent until the idle timeout.
        clock.Now = connectAt.AddSeconds(30);
        Assert.That(play.TunnelStarts(""), Is.EqualTo(new[] { "open flow Tunnel tcp o.test:443", "complete flow", "close" }));
        var flow = play.Completed.Single();
        Assert.That((flow.Method, flow.Error!.Kind, flow.Error.Message), Is.EqualTo(("CONNECT", FlowErrorKind.ClientAbort, "client sent nothing after CONNECT")));
        Assert.That((flow.Timings.Start, flow.Timings.ResponseDone), Is.EqualTo((connectAt, (DateTimeOffset?)connectAt.AddSeconds(30))));
    }

    [Test]
    public void Connect_WithABadAuthority_Is400_AndAConnectionFlow()
    {
        var play = new Http1ClientPlaybook();
        Assert.That(play.Client("CONNECT o.test:port HTTP/1.1\r\nHost: o.test\r\n\r\n"), Is.EqualTo(new[]
        {
            "open flow Connection https o.test:port:0", Answer(400, "Bad Request", "CONNECT needs host:port\n"), "complete flow", "close",
        }));
        Assert.That(play.Completed.Single().Error!.Message, Is.EqualTo("bad CONNECT authority 'o.test:port'"));
    }

    [Test]
    public void InsideATunnel_RequestsGoWhereConnectSaid()
    {
        var play = new Http1ClientPlaybook("https", "10.0.0.1", 8443);
        var lines = play.Client("GET /p HTTP/1.1\r\nHost: shown.test\r\n\r\n");
        Assert.That(lines.Take(3), Is.EqualTo(new[] { "open flow Http https 10.0.0.1:8443", "hook request-headers", "connect 10.0.0.1:8443 tls" }));
    }

    private const string WebSocketUpgrade =
        "GET http://o.test/ws HTTP/1.1\r\nHost: o.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    [Test]
    public void Upgrade_TheOriginSwitches_TheWebSocketIsHandedOver()
    {
        var play = new Http1ClientPlaybook();
        play.Client(WebSocketUpgrade);
        Assert.That(play.Upstream("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"), Is.EqualTo(new[]
        {
            "hook response-headers", "client< HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", "flush client",
            "relay websocket", "close upstream", "complete flow", "close",
        }));
        Assert.That(play.Completed.Single().Kind, Is.EqualTo(FlowKind.WebSocket));
    }

    [Test]
    public void Upgrade_TheOriginDeclines_TheClientIsParsedAgain()
    {
        var play = new Http1ClientPlaybook();
        play.Client(WebSocketUpgrade + Get);
        // The pipelined request behind the paused upgrade is served next.
        string[] expected = ["hook response-headers", "client< " + Ok, "flush client", "hook response-complete", "resume client", "complete flow", .. UpstreamRequest];
        Assert.That(play.Upstream(Ok), Is.EqualTo(expected));
    }

    [Test]
    public void Upgrade_ToTheSinkhole_IsAcceptedLocally()
    {
        var play = new Http1ClientPlaybook { OnRequestHeaders = AnswerLocally(SinkholeAddon.AnsweredBy) };
        Assert.That(play.Client(WebSocketUpgrade), Is.EqualTo(new[]
        {
            "open flow Http http o.test:80", "hook request-headers", "hook request-complete",
            "client< HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
            "flush client", "accept websocket locally", "complete flow", "close",
        }));
        Assert.That(play.Completed.Single().Kind, Is.EqualTo(FlowKind.WebSocket));
    }
}
