using Harness.Proxy.Http2;
using static Harness.Proxy.Tests.Http2.Http2Playbook;

namespace Harness.Proxy.Tests.Http2;

/// <summary>The connection in the server role (toward a client), frame by frame.</summary>
public sealed class Http2ServerConnectionTests
{
    [Test]
    public void Handshake_SettingsFirstThenAcknowledgesThePeers()
    {
        var play = Server(new Http2ConnectionOptions { EnableConnectProtocol = true }, handshake: false);
        Assert.That(play.Output(), Is.EqualTo(new[]
        {
            "SETTINGS HeaderTableSize=4096,EnablePush=0,MaxConcurrentStreams=128,InitialWindowSize=1048576,MaxFrameSize=16384,MaxHeaderListSize=65536,EnableConnectProtocol=1",
            "WINDOW_UPDATE 0 +16711681",
        }));
        Assert.That(play.Raw(Http2Preface.Bytes.ToArray()).Settings(new Http2Setting(Http2SettingId.MaxConcurrentStreams, 100)).Send(), Is.EqualTo(new[] { "peer-settings" }));
        Assert.That(play.Output(), Is.EqualTo(new[] { "SETTINGS ACK" }));
        Assert.That(play.SettingsAck().Send(), Is.EqualTo(new[] { "settings-ack" }));
        Assert.That(play.Connection.PeerSettings.MaxConcurrentStreams, Is.EqualTo(100));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void GetAndResponse_SameEventsWhateverTheReadsSplit(bool bytewise)
    {
        var play = Server(handshake: false);
        play.Output();
        play.Raw(Http2Preface.Bytes.ToArray()).Settings().Headers(1, Get("/a?b=1"), endStream: true);
        Assert.That(play.Send(bytewise), Is.EqualTo(new[] { "peer-settings", "request 1 GET /a?b=1 end" }));
        var request = (Http2RequestReceived)play.Events[^1];
        Assert.That((request.Scheme, request.Authority, request.Headers.Count), Is.EqualTo(("https", "example.test", 0)));

        play.Connection.SubmitResponse(1, Fields(":status=200", "content-type=text/plain"), endStream: false);
        play.Connection.SendData(1, "hello"u8, endStream: true);
        Assert.That(play.Output(), Is.EqualTo(new[] { "SETTINGS ACK", "HEADERS 1 :status=200 content-type=text/plain", "DATA 1 hello end" }));
        Assert.That(play.Connection.GetStreamState(1), Is.EqualTo(Http2StreamState.Closed));
        Assert.That(play.Connection.ActiveStreamCount, Is.Zero);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void PostBody_PaddingRemovedAndTrailersReported(bool bytewise)
    {
        var play = Server();
        // The request's header block arrives as HEADERS plus two CONTINUATION frames of 8 octets.
        play.Headers(1, Fields(":method=POST", ":scheme=https", ":authority=h", ":path=/up", "te=trailers", "user-agent=curl/7.88.1"), endStream: false, maxFrameSize: 8)
            .Data(1, "hel", endStream: false, padLength: 10).Data(1, "lo", endStream: false)
            .Headers(1, Fields("x-checksum=abc"), endStream: true);
        // Fed one octet at a time, each DATA frame is still reported whole: the reader waits for a frame's end.
        Assert.That(play.Send(bytewise), Is.EqualTo(new[] { "request 1 POST /up", "data 1 hel", "data 1 lo", "trailers 1 x-checksum=abc" }));
        Assert.That(((Http2RequestReceived)play.Events[0]).Headers, Has.Count.EqualTo(2));
        Assert.That(play.Connection.GetStreamState(1), Is.EqualTo(Http2StreamState.HalfClosedRemote));
    }

    [Test]
    public void ReceiveWindows_ReopenOnlyAsDataIsConsumed_PaddingIncluded()
    {
        var play = Server(new Http2ConnectionOptions { InitialStreamWindowSize = 100, ConnectionWindowSize = 65535 });
        play.Headers(1, Fields(":method=POST", ":scheme=https", ":authority=h", ":path=/"), endStream: false)
            .Data(1, new string('a', 40), endStream: false)
            .Data(1, new string('b', 20), endStream: false, padLength: 9);
        Assert.That(play.Send(), Is.EqualTo(new[] { "request 1 POST /", "data 1 len=40", "data 1 len=20" }));
        Assert.That(play.Connection.GetStreamReceiveWindow(1), Is.EqualTo(100 - 40 - 30));
        Assert.That(play.Connection.ConnectionReceiveWindow, Is.EqualTo(65535 - 70));
        Assert.That(play.Output(), Is.Empty, "nothing consumed yet: no WINDOW_UPDATE");

        play.Connection.ConsumeData(1, 40);
        // 40 consumed + 10 octets of padding reach half the 100-octet stream window; the connection's half is far off.
        Assert.That(play.Output(), Is.EqualTo(new[] { "WINDOW_UPDATE 1 +50" }));
        Assert.That(play.Connection.GetStreamReceiveWindow(1), Is.EqualTo(80));

        // The peer may now send 80 more; 81 is a stream flow-control error (RST_STREAM), and the connection goes on.
        play.Data(1, new string('c', 81), endStream: false);
        Assert.That(play.Send(), Is.EqualTo(new[] { "reset 1 FlowControlError Local" }));
        Assert.That(play.Output(), Is.EqualTo(new[] { "RST_STREAM 1 FlowControlError" }));
        Assert.That(play.Connection.IsFailed, Is.False);
    }

    [Test]
    public void ConnectionWindow_UpdatedAtHalfAndOverrunIsAConnectionError()
    {
        var play = Server(new Http2ConnectionOptions { ConnectionWindowSize = 65535 });
        play.Headers(1, Fields(":method=POST", ":scheme=https", ":authority=h", ":path=/"), endStream: false);
        for (var i = 0; i < 4; i++) play.Data(1, new byte[16000], endStream: false);
        play.Send();
        play.Connection.ConsumeData(1, 32000);
        Assert.That(play.Output(), Is.Empty, "32000 < half of 65535");
        play.Connection.ConsumeData(1, 1000);
        Assert.That(play.Output(), Is.EqualTo(new[] { "WINDOW_UPDATE 0 +33000" }));
        // 65535 - 64000 + 33000 = 34535 left: 3 × 16000 is too much for the connection.
        for (var i = 0; i < 3; i++) play.Data(1, new byte[16000], endStream: false);
        Assert.That(play.Send().TakeLast(2), Is.EqualTo(new[] { "connection-error FlowControlError", "reset 1 Cancel ConnectionLost" }));
        Assert.That(play.Output(), Is.EqualTo(new[] { "GOAWAY 1 FlowControlError" }));
    }

    [Test]
    public void SendWindows_DataWaitsForWindowUpdatesAndSettings()
    {
        var play = Server(peerSettings: new Http2Setting(Http2SettingId.InitialWindowSize, 10));
        play.Headers(1, Get(), endStream: true).Send();
        play.Connection.SubmitResponse(1, Fields(":status=200"), endStream: false);
        Assert.That(play.Connection.SendData(1, "0123456789abcdefghijklmno"u8, endStream: true), Is.EqualTo(15), "15 octets wait");
        Assert.That(play.Output(), Is.EqualTo(new[] { "HEADERS 1 :status=200", "DATA 1 0123456789" }));
        Assert.That(play.Connection.GetStreamSendWindow(1), Is.Zero);

        Assert.That(play.WindowUpdate(1, 5).Send(), Is.Empty);
        Assert.That(play.Output(), Is.EqualTo(new[] { "DATA 1 abcde" }));

        // A larger SETTINGS_INITIAL_WINDOW_SIZE moves every open stream's window by the difference (RFC 9113 6.9.2).
        Assert.That(play.Settings(new Http2Setting(Http2SettingId.InitialWindowSize, 30)).Send(), Is.EqualTo(new[] { "peer-settings", "drained 1" }));
        Assert.That(play.Output(), Is.EqualTo(new[] { "SETTINGS ACK", "DATA 1 fghijklmno end" }));
        Assert.That(play.Connection.GetStreamState(1), Is.EqualTo(Http2StreamState.Closed));
    }

    [Test]
    public void SendWindows_ShrinkingSettingsMakeAWindowNegative()
    {
        var play = Server(peerSettings: new Http2Setting(Http2SettingId.InitialWindowSize, 10));
        play.Headers(1, Get(), endStream: true).Send();
        play.Connection.SubmitResponse(1, Fields(":status=200"), endStream: false);
        play.Connection.SendData(1, "0123456789"u8, endStream: false);
        play.Settings(new Http2Setting(Http2SettingId.InitialWindowSize, 4)).Send();
        Assert.That(play.Connection.GetStreamSendWindow(1), Is.EqualTo(-6));
        play.Connection.SendData(1, "x"u8, endStream: true);
        play.WindowUpdate(1, 6).Send();
        Assert.That(play.Output(), Is.EqualTo(new[] { "HEADERS 1 :status=200", "DATA 1 0123456789", "SETTINGS ACK" }), "a window of 0 sends nothing");
        play.WindowUpdate(1, 1).Send();
        Assert.That(play.Output(), Is.EqualTo(new[] { "DATA 1 x end" }));
    }

    [Test]
    public void LargeBodies_AreSplitAtThePeersMaxFrameSize()
    {
        var play = Server(peerSettings: new Http2Setting(Http2SettingId.MaxFrameSize, 20000));
        play.Headers(1, Get(), endStream: true).Send();
        play.Connection.SubmitResponse(1, Fields(":status=200"), endStream: false);
        play.Connection.SendData(1, new byte[50000], endStream: true);
        Assert.That(play.Output(), Is.EqualTo(new[] { "HEADERS 1 :status=200", "DATA 1 len=20000", "DATA 1 len=20000", "DATA 1 len=10000 end" }));
        Assert.That(play.Connection.ConnectionSendWindow, Is.EqualTo(65535 - 50000));
    }

    [Test]
    public void TrailersSubmittedWhileDataWaits_GoOutAfterTheData()
    {
        var play = Server(peerSettings: new Http2Setting(Http2SettingId.InitialWindowSize, 3));
        play.Headers(1, Get(), endStream: true).Send();
        play.Connection.SubmitResponse(1, Fields(":status=200"), endStream: false);
        play.Connection.SendData(1, "abcdef"u8, endStream: false);
        play.Connection.SubmitTrailers(1, Fields("grpc-status=0"));
        Assert.That(play.Output(), Is.EqualTo(new[] { "HEADERS 1 :status=200", "DATA 1 abc" }));
        Assert.That(play.WindowUpdate(1, 3).Send(), Is.EqualTo(new[] { "drained 1" }));
        Assert.That(play.Output(), Is.EqualTo(new[] { "DATA 1 def", "HEADERS 1 end grpc-status=0" }));
    }

    [Test]
    public void LargeHeaderBlocks_UseContinuationBothWays()
    {
        var play = Server();
        var big = Fields(":method=GET", ":scheme=https", ":authority=h", ":path=/", "x-big=" + new string('v', 40000));
        play.Headers(1, big, endStream: true, maxFrameSize: 16384);
        Assert.That(play.Send(bytewise: false), Is.EqualTo(new[] { "request 1 GET / end" }));
        Assert.That(((Http2RequestReceived)play.Events[^1]).Headers[0].Value, Has.Length.EqualTo(40000));
        play.Connection.SubmitResponse(1, Fields(":status=200", "x-big=" + new string('w', 40000)), endStream: true);
        var frames = play.Output();
        Assert.That(frames.Select(f => f.Split(' ')[0] + " " + f.Split(' ')[1]), Is.EqualTo(new[] { "HEADERS 1", "CONTINUATION 1", "CONTINUATION 1" }));
        Assert.That(frames[0], Is.EqualTo("HEADERS 1 end"));
        Assert.That(frames[2], Does.StartWith("CONTINUATION 1 :status=200 x-big=www"));
    }

    [Test]
    public void PeerResetsMidBody_StreamEndsAndItsUnconsumedDataReturnsToTheConnection()
    {
        var play = Server(new Http2ConnectionOptions { ConnectionWindowSize = 65535 });
        play.Headers(1, Fields(":method=POST", ":scheme=https", ":authority=h", ":path=/"), endStream: false)
            .Data(1, new byte[16000], endStream: false).Data(1, new byte[16000], endStream: false)
            .Rst(1, Http2ErrorCode.Cancel);
        Assert.That(play.Send(), Is.EqualTo(new[] { "request 1 POST /", "data 1 len=16000", "data 1 len=16000", "reset 1 Cancel Peer" }));
        // Nobody will consume the 32000 octets now: the connection window must not leak them.
        Assert.That(play.Output(), Is.Empty, "32000 is under the half-window threshold");
        play.Connection.ConsumeData(1, 32000);
        Assert.That(play.Output(), Is.Empty, "consuming a reset stream's data does not count twice");
        play.Headers(3, Fields(":method=POST", ":scheme=https", ":authority=h", ":path=/"), endStream: false).Data(3, new byte[1000], endStream: false).Send();
        play.Connection.ConsumeData(3, 1000);
        Assert.That(play.Output(), Is.EqualTo(new[] { "WINDOW_UPDATE 0 +33000" }));
        // The reset stream is closed: a response to it is silently dropped (the pump may race the reset).
        play.Connection.SubmitResponse(1, Fields(":status=200"), endStream: true);
        Assert.That(play.Output(), Is.Empty);
    }

    [Test]
    public void WeResetMidBody_FramesAlreadyInFlightAreIgnoredButCounted()
    {
        var play = Server(new Http2ConnectionOptions { ConnectionWindowSize = 65535 });
        play.Headers(1, Fields(":method=POST", ":scheme=https", ":authority=h", ":path=/"), endStream: false).Data(1, new byte[1000], endStream: false).Send();
        play.Connection.ResetStream(1, Http2ErrorCode.Cancel);
        Assert.That(play.Output(), Is.EqualTo(new[] { "RST_STREAM 1 Cancel" }));
        play.Data(1, new byte[16000], endStream: false).Data(1, new byte[16000], endStream: true);
        Assert.That(play.Send(), Is.Empty);
        Assert.That(play.Output(), Is.EqualTo(new[] { "WINDOW_UPDATE 0 +33000" }), "in-flight DATA after our RST_STREAM still counts against the connection");
        Assert.That(play.Connection.IsFailed, Is.False);
    }

    [Test]
    public void GracefulGoAway_FinishesOpenStreamsAndIgnoresNewOnes()
    {
        var play = Server();
        play.Headers(1, Get("/1"), endStream: true).Headers(3, Get("/3"), endStream: true).Send();
        play.Connection.GoAway();
        Assert.That(play.Output(), Is.EqualTo(new[] { "GOAWAY 3 NoError" }));
        Assert.That(play.Headers(5, Get("/5"), endStream: true).Send(), Is.Empty);
        play.Connection.SubmitResponse(3, Fields(":status=204"), endStream: true);
        play.Connection.SubmitResponse(1, Fields(":status=204"), endStream: true);
        Assert.That(play.Output(), Is.EqualTo(new[] { "HEADERS 3 end :status=204", "HEADERS 1 end :status=204" }));
        // The ignored stream's header block was still decoded: the HPACK table stays in step with the client's.
        Assert.That(play.Connection.ActiveStreamCount, Is.Zero);
        // A second GOAWAY (here for an error) still names stream 3: the ignored stream 5 was never processed.
        Assert.That(play.Data(5, "x", endStream: false).Headers(5, Fields("x-trailer=1"), endStream: true).Send(), Is.Empty);
        play.Connection.GoAway(Http2ErrorCode.InternalError);
        Assert.That(play.Output(), Is.EqualTo(new[] { "GOAWAY 3 InternalError" }), "the ignored stream's frames got no RST_STREAM");
    }

    [Test]
    public void ConcurrencyLimit_RefusesTheStreamBeyondIt()
    {
        var play = Server(new Http2ConnectionOptions { MaxConcurrentStreams = 2 });
        Assert.That(play.Headers(1, Get(), false).Headers(3, Get(), false).Headers(5, Get("/5"), true).Headers(7, Get("/7"), true).Send(),
            Is.EqualTo(new[] { "request 1 GET /", "request 3 GET /" }), "a refused stream never existed for the pump");
        Assert.That(play.Output(), Is.EqualTo(new[] { "RST_STREAM 5 RefusedStream", "RST_STREAM 7 RefusedStream" }));
    }

    [TestCase(":method=GET|:scheme=https|:authority=h", TestName = "no :path")]
    [TestCase(":method=GET|:scheme=https|:authority=h|:path=/|connection=keep-alive", TestName = "connection-specific field")]
    [TestCase(":method=GET|:scheme=https|:authority=h|:path=/|te=gzip", TestName = "te other than trailers")]
    [TestCase(":method=GET|x-a=1|:scheme=https|:authority=h|:path=/", TestName = "pseudo-header after a regular field")]
    [TestCase(":method=GET|:method=GET|:scheme=https|:authority=h|:path=/", TestName = "duplicate pseudo-header")]
    [TestCase(":method=GET|:scheme=https|:authority=h|:path=/|:status=200", TestName = "response pseudo-header in a request")]
    [TestCase(":method=CONNECT|:authority=h:443|:path=/", TestName = "CONNECT with :path")]
    [TestCase(":method=CONNECT|:protocol=websocket|:scheme=https|:authority=h|:path=/chat", TestName = "extended CONNECT not enabled")]
    [TestCase(":method=POST|:scheme=https|:authority=h|:path=/|content-length=5", TestName = "content-length without data")]
    [TestCase(":method=GET|:scheme=https|:authority=a.test|:path=/|host=b.test", TestName = "host differing from :authority")]
    public void MalformedRequest_IsAStreamErrorAndTheConnectionGoesOn(string fields)
    {
        var play = Server();
        Assert.That(play.Headers(1, Fields(fields.Split('|')), endStream: true).Headers(3, Get(), endStream: true).Send(), Is.EqualTo(new[] { "request 3 GET / end" }));
        Assert.That(play.Output(), Is.EqualTo(new[] { "RST_STREAM 1 ProtocolError" }));
    }

    [Test]
    public void UpperCaseFieldName_IsMalformed()
    {
        var play = Server();
        // Our own encoder lower-cases names, so the block is written by hand: indexed :method GET, :scheme https,
        // :path /, then a literal without indexing named "X-Upper".
        byte[] block = [0x82, 0x87, 0x84, 0x00, 0x07, .."X-Upper"u8, 0x01, (byte)'1'];
        play.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream, 1, block).Headers(3, Get(), endStream: true);
        Assert.That(play.Send(), Is.EqualTo(new[] { "request 3 GET / end" }));
        Assert.That(play.Output(), Is.EqualTo(new[] { "RST_STREAM 1 ProtocolError" }));
    }

    [Test]
    public void HeaderListBomb_ResetsTheStreamAndKeepsTheTableInStep()
    {
        var play = Server(new Http2ConnectionOptions { MaxHeaderListSize = 16 * 1024 });
        // One 4000-octet field enters the dynamic table, then 1000 one-octet references to it: 4 MB from 1 KB.
        var block = new List<byte> { 0x82, 0x87, 0x84, 0x40, 0x03, (byte)'x', (byte)'-', (byte)'a' };
        HpackInteger.Encode(4000, 7, 0, block);
        block.AddRange(Enumerable.Repeat((byte)'a', 4000));
        block.AddRange(Enumerable.Repeat((byte)0xbe, 1000));
        play.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream, 1, block.ToArray());
        // The next request refers to the same table entry (index 62): it only decodes if the table stayed in step.
        play.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream, 3, [0x82, 0x87, 0x84, 0xbe]);
        Assert.That(play.Send(), Is.EqualTo(new[] { "request 3 GET / end" }));
        Assert.That(((Http2RequestReceived)play.Events[^1]).Headers[0].Value, Has.Length.EqualTo(4000));
        Assert.That(play.Output(), Is.EqualTo(new[] { "RST_STREAM 1 ProtocolError" }));
    }

    [Test]
    public void HostWithoutAuthority_IsTheAuthority()
    {
        var play = Server();
        play.Headers(1, Fields(":method=GET", ":scheme=https", ":path=/", "host=only-host.test"), endStream: true).Send();
        Assert.That(((Http2RequestReceived)play.Events.Single()).Authority, Is.EqualTo("only-host.test"));
    }

    [Test]
    public void ContentLengthMismatch_ResetsTheStream()
    {
        var play = Server();
        play.Headers(1, Fields(":method=POST", ":scheme=https", ":authority=h", ":path=/", "content-length=3"), endStream: false).Data(1, "abcd", endStream: true);
        Assert.That(play.Send(), Is.EqualTo(new[] { "request 1 POST /", "reset 1 ProtocolError Local" }));
        Assert.That(play.Output(), Is.EqualTo(new[] { "RST_STREAM 1 ProtocolError" }));
    }

    [Test]
    public void ExtendedConnect_AcceptedWhenEnabled_AndCarriesDataBothWays()
    {
        var play = Server(new Http2ConnectionOptions { EnableConnectProtocol = true });
        play.Headers(1, Fields(":method=CONNECT", ":protocol=websocket", ":scheme=https", ":authority=h", ":path=/chat", "sec-websocket-version=13"), endStream: false)
            .Data(1, "frame1", endStream: false);
        Assert.That(play.Send(), Is.EqualTo(new[] { "request 1 CONNECT /chat", "data 1 frame1" }));
        Assert.That(((Http2RequestReceived)play.Events[0]).Protocol, Is.EqualTo("websocket"));
        play.Connection.SubmitResponse(1, Fields(":status=200"), endStream: false);
        play.Connection.SendData(1, "frame2"u8, endStream: false);
        Assert.That(play.Output(), Is.EqualTo(new[] { "HEADERS 1 :status=200", "DATA 1 frame2" }));
    }

    [Test]
    public void Priorities_AreIgnoredButSelfDependencyIsAStreamError()
    {
        var play = Server();
        // HEADERS with priority fields (depends on stream 0, weight 16), then PRIORITY frames for streams 1 and 3.
        byte[] block = [0x00, 0x00, 0x00, 0x00, 0x0f, 0x82, 0x87, 0x84, 0x41, 0x01, (byte)'h'];
        play.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream | Http2FrameFlags.Priority, 1, block)
            .Frame(Http2FrameType.Priority, 0, 1, [0, 0, 0, 0, 200])
            .Frame(Http2FrameType.Priority, 0, 3, [0, 0, 0, 3, 16]);
        Assert.That(play.Send(), Is.EqualTo(new[] { "request 1 GET / end" }));
        Assert.That(play.Output(), Is.EqualTo(new[] { "RST_STREAM 3 ProtocolError" }));
        Assert.That(play.Connection.IsFailed, Is.False);
    }

    [Test]
    public void Ping_IsAnsweredWithTheSamePayload()
    {
        var play = Server();
        Assert.That(play.Ping(0x0102030405060708).Send(), Is.Empty);
        Assert.That(play.Output(), Is.EqualTo(new[] { "PING ACK 72623859790382856" }));
    }

    [Test]
    public void EndOfInput_ReportsUnfinishedStreamsLost()
    {
        var play = Server();
        play.Headers(1, Get(), endStream: true).Headers(3, Fields(":method=POST", ":scheme=https", ":authority=h", ":path=/"), endStream: false).Send();
        play.Connection.SubmitResponse(1, Fields(":status=200"), endStream: true);
        Assert.That(play.SendEof(), Is.EqualTo(new[] { "reset 3 Cancel ConnectionLost" }));
    }

    [TestCase("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", Http2PrefaceMatch.Preface)]
    [TestCase("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04", Http2PrefaceMatch.Preface)]
    [TestCase("PRI * HTTP/2", Http2PrefaceMatch.NeedMoreData)]
    [TestCase("", Http2PrefaceMatch.NeedMoreData)]
    [TestCase("GET / HTTP/1.1\r\n", Http2PrefaceMatch.NotPreface)]
    [TestCase("PRI * HTTP/1.1\r\n", Http2PrefaceMatch.NotPreface)]
    public void PriorKnowledgePreface_IsDetected(string first, Http2PrefaceMatch expected)
    {
        Assert.That(Http2Preface.Match(System.Text.Encoding.Latin1.GetBytes(first)), Is.EqualTo(expected));
    }
}
