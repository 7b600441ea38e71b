using Harness.Proxy.Http2;
using static Harness.Proxy.Tests.Http2.Http2Playbook;

namespace Harness.Proxy.Tests.Http2;

/// <summary>The connection in the client role (toward an origin), frame by frame.</summary>
public sealed class Http2ClientConnectionTests
{
    [Test]
    public void Handshake_PrefaceThenSettingsWithPushDisabled()
    {
        var play = Client(handshake: false);
        Assert.That(play.Output(), Is.EqualTo(new[]
        {
            "SETTINGS HeaderTableSize=4096,EnablePush=0,MaxConcurrentStreams=128,InitialWindowSize=1048576,MaxFrameSize=16384,MaxHeaderListSize=65536",
            "WINDOW_UPDATE 0 +16711681",
        }));
    }

    [Test]
    public void Request_OddStreamsAndResponseWithTrailers()
    {
        var play = Client();
        var first = play.Connection.SubmitRequest(Get("/a"), endStream: true);
        var second = play.Connection.SubmitRequest(Fields(":method=POST", ":scheme=https", ":authority=example.test", ":path=/b"), endStream: false);
        play.Connection.SendData(second, "body"u8, endStream: true);
        Assert.That((first, second), Is.EqualTo((1, 3)));
        Assert.That(play.Output(), Is.EqualTo(new[]
        {
            "HEADERS 1 end :method=GET :scheme=https :authority=example.test :path=/a",
            "HEADERS 3 :method=POST :scheme=https :authority=example.test :path=/b",
            "DATA 3 body end",
        }));
        play.Headers(3, Fields(":status=103", "link=</s.css>"), endStream: false)
            .Headers(3, Fields(":status=200", "content-length=2"), endStream: false)
            .Data(3, "ok", endStream: false)
            .Headers(3, Fields("grpc-status=0"), endStream: true)
            .Headers(1, Fields(":status=204"), endStream: true);
        Assert.That(play.Send(), Is.EqualTo(new[] { "response 3 103", "response 3 200", "data 3 ok", "trailers 3 grpc-status=0", "response 1 204 end" }));
        Assert.That(((Http2ResponseReceived)play.Events[0]).IsInformational);
        Assert.That(play.Connection.ActiveStreamCount, Is.Zero);
    }

    [Test]
    public void HeadResponse_ContentLengthWithoutData()
    {
        var play = Client();
        var id = play.Connection.SubmitRequest(Fields(":method=HEAD", ":scheme=https", ":authority=h", ":path=/"), endStream: true);
        Assert.That(play.Headers(id, Fields(":status=200", "content-length=1234"), endStream: true).Send(), Is.EqualTo(new[] { "response 1 200 end" }));
    }

    [TestCase(":status=20", TestName = "two-digit status")]
    [TestCase("x-a=1", TestName = "no status")]
    [TestCase(":status=200|:path=/", TestName = "request pseudo-header in a response")]
    public void MalformedResponse_ResetsTheStream(string fields)
    {
        var play = Client();
        play.Connection.SubmitRequest(Get(), endStream: true);
        play.Output();
        Assert.That(play.Headers(1, Fields(fields.Split('|')), endStream: true).Send(), Is.EqualTo(new[] { "reset 1 ProtocolError Local" }));
        Assert.That(play.Output(), Is.EqualTo(new[] { "RST_STREAM 1 ProtocolError" }));
    }

    [Test]
    public void GoAwayWithStreamsInFlight_ProcessedOnesFinishTheRestAreRetryable()
    {
        var play = Client();
        foreach (var path in new[] { "/1", "/3", "/5", "/7" }) play.Connection.SubmitRequest(Get(path), endStream: true);
        play.Output();
        play.Headers(1, Fields(":status=200"), endStream: false).GoAway(3, Http2ErrorCode.NoError);
        Assert.That(play.Send(), Is.EqualTo(new[] { "response 1 200", "goaway 3 NoError", "reset 5 RefusedStream GoAway", "reset 7 RefusedStream GoAway" }));
        Assert.That(play.Connection.CanOpenStream, Is.False);
        Assert.Throws<InvalidOperationException>(() => play.Connection.SubmitRequest(Get("/9"), endStream: true));
        // Streams 1 and 3 go on to the end.
        play.Data(1, "one", endStream: true).Headers(3, Fields(":status=200"), endStream: false).Data(3, "three", endStream: true);
        Assert.That(play.Send(), Is.EqualTo(new[] { "data 1 one end", "response 3 200", "data 3 three end" }));
        Assert.That(play.Connection.ActiveStreamCount, Is.Zero);
        Assert.That(play.Output(), Is.Empty);
    }

    [Test]
    public void OriginResetsMidBody_BothDirectionsStopAndTheConnectionGoesOn()
    {
        var play = Client(peerSettings: new Http2Setting(Http2SettingId.InitialWindowSize, 4));
        var id = play.Connection.SubmitRequest(Fields(":method=POST", ":scheme=https", ":authority=h", ":path=/up"), endStream: false);
        Assert.That(play.Connection.SendData(id, "0123456789"u8, endStream: true), Is.EqualTo(6));
        Assert.That(play.Output(), Is.EqualTo(new[] { "HEADERS 1 :method=POST :scheme=https :authority=h :path=/up", "DATA 1 0123" }));
        play.Headers(id, Fields(":status=200"), endStream: false).Data(id, "part", endStream: false).Rst(id, Http2ErrorCode.InternalError);
        Assert.That(play.Send(), Is.EqualTo(new[] { "response 1 200", "data 1 part", "reset 1 InternalError Peer" }));
        Assert.That(play.Connection.GetBufferedSendBytes(id), Is.Zero, "the request body still waiting was dropped");
        play.WindowUpdate(id, 100).Send();
        Assert.That(play.Output(), Is.Empty, "nothing more is sent on the reset stream");
        var next = play.Connection.SubmitRequest(Get("/again"), endStream: true);
        Assert.That(play.Output(), Is.EqualTo(new[] { "HEADERS 3 end :method=GET :scheme=https :authority=example.test :path=/again" }));
        Assert.That(next, Is.EqualTo(3));
    }

    [Test]
    public void GoAwayWithAnError_StillLetsProcessedStreamsFinish()
    {
        var play = Client();
        play.Connection.SubmitRequest(Get("/1"), endStream: true);
        play.Connection.SubmitRequest(Get("/3"), endStream: true);
        Assert.That(play.GoAway(1, Http2ErrorCode.EnhanceYourCalm).Send(), Is.EqualTo(new[] { "goaway 1 EnhanceYourCalm", "reset 3 RefusedStream GoAway" }));
        Assert.That(play.SendEof(), Is.EqualTo(new[] { "reset 1 Cancel ConnectionLost" }));
    }

    [Test]
    public void PeerConcurrencyLimit_IsRespected()
    {
        var play = Client(peerSettings: new Http2Setting(Http2SettingId.MaxConcurrentStreams, 1));
        play.Connection.SubmitRequest(Get(), endStream: true);
        Assert.That(play.Connection.CanOpenStream, Is.False);
        play.Headers(1, Fields(":status=204"), endStream: true).Send();
        Assert.That(play.Connection.CanOpenStream, Is.True);
    }

    [Test]
    public void ResponseBodyFlowControl_WindowUpdatesFollowConsumption()
    {
        var play = Client(new Http2ConnectionOptions { InitialStreamWindowSize = 65535, ConnectionWindowSize = 65535 });
        play.Connection.SubmitRequest(Get(), endStream: true);
        play.Output();
        play.Headers(1, Fields(":status=200"), endStream: false);
        for (var i = 0; i < 4; i++) play.Data(1, new byte[16383], endStream: false);
        Assert.That(play.Send(), Has.Count.EqualTo(5));
        Assert.That(play.Connection.GetStreamReceiveWindow(1), Is.EqualTo(3));
        play.Data(1, new byte[4], endStream: false);
        Assert.That(play.Send(), Is.EqualTo(new[] { "connection-error FlowControlError", "reset 1 Cancel ConnectionLost" }), "the connection window (65535) ran out before the stream's");
    }

    [Test]
    public void PushPromise_IsAProtocolErrorBecausePushIsDisabled()
    {
        var play = Client();
        play.Connection.SubmitRequest(Get(), endStream: true);
        play.Output();
        play.Frame(Http2FrameType.PushPromise, Http2FrameFlags.EndHeaders, 1, [0, 0, 0, 2, 0x82, 0x87, 0x84]);
        Assert.That(play.Send()[0], Is.EqualTo("connection-error ProtocolError"));
        Assert.That(play.Output(), Is.EqualTo(new[] { "GOAWAY 0 ProtocolError" }));
    }

    [Test]
    public void ServerEnablingPush_IsAProtocolError()
    {
        var play = Client(handshake: false);
        play.Output();
        Assert.That(play.Settings(new Http2Setting(Http2SettingId.EnablePush, 1)).Send(), Is.EqualTo(new[] { "connection-error ProtocolError" }));
    }

    [Test]
    public void ExtendedConnect_RefusedWhenThePeerDidNotEnableIt()
    {
        var play = Client();
        Assert.That(play.Connection.PeerSettings.EnableConnectProtocol, Is.False);
        Assert.Throws<InvalidOperationException>(() => play.Connection.SubmitRequest(Fields(":method=CONNECT", ":protocol=websocket", ":scheme=https", ":authority=h", ":path=/ws"), endStream: false));
        Assert.That(play.Output(), Is.Empty);
    }

    [Test]
    public void ExtendedConnect_PeerSettingIsVisibleBeforeUse()
    {
        var play = Client(peerSettings: new Http2Setting(Http2SettingId.EnableConnectProtocol, 1));
        Assert.That(play.Connection.PeerSettings.EnableConnectProtocol);
        var id = play.Connection.SubmitRequest(Fields(":method=CONNECT", ":protocol=websocket", ":scheme=https", ":authority=h", ":path=/ws"), endStream: false);
        play.Connection.SendData(id, "hi"u8, endStream: false);
        Assert.That(play.Output(), Is.EqualTo(new[] { "HEADERS 1 :method=CONNECT :protocol=websocket :scheme=https :authority=h :path=/ws", "DATA 1 hi" }));
    }

    /// <summary>
    /// Both roles against each other through an in-memory pipe: 16 concurrent streams with 64 KiB bodies each way,
    /// through 16 KiB stream windows, so every byte crosses only after WINDOW_UPDATEs the receiver earned by consuming.
    /// </summary>
    [Test]
    public void ClientAndServer_SixteenStreamsThroughSmallWindows()
    {
        var small = new Http2ConnectionOptions { InitialStreamWindowSize = 16384, ConnectionWindowSize = 65535 };
        var client = new Http2Connection(Http2Role.Client, small);
        var server = new Http2Connection(Http2Role.Server, small);
        var body = Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 7)).ToArray();
        var received = new Dictionary<int, MemoryStream>();
        var responses = new Dictionary<int, MemoryStream>();
        var requests = new List<int>();
        for (var i = 0; i < 16; i++)
        {
            var id = client.SubmitRequest(Fields(":method=POST", ":scheme=https", ":authority=h", ":path=/" + i), endStream: false);
            client.SendData(id, body, endStream: true);
            requests.Add(id);
        }
        var finished = new HashSet<int>();
        for (var round = 0; round < 10000 && finished.Count < 16; round++)
        {
            var toServer = client.TakeOutput();
            var toClient = server.TakeOutput();
            if (toServer.Length == 0 && toClient.Length == 0) Assert.Fail($"deadlock after {round} rounds: {finished.Count} streams finished");
            var serverEvents = new List<Http2Event>();
            server.Feed(toServer, serverEvents);
            foreach (var e in serverEvents)
            {
                switch (e)
                {
                    case Http2RequestReceived r:
                        received[r.StreamId] = new MemoryStream();
                        break;
                    case Http2DataReceived d:
                        received[d.StreamId].Write(d.Data.Span);
                        server.ConsumeData(d.StreamId, d.Data.Length);
                        if (d.EndStream)
                        {
                            server.SubmitResponse(d.StreamId, Fields(":status=200"), endStream: false);
                            // Echo the body back reversed, so a mix-up between streams would show.
                            server.SendData(d.StreamId, received[d.StreamId].ToArray().Reverse().ToArray(), endStream: true);
                        }
                        break;
                    default:
                        Assert.That(e, Is.InstanceOf<Http2PeerSettingsReceived>().Or.InstanceOf<Http2SettingsAcknowledged>().Or.InstanceOf<Http2SendBufferDrained>());
                        break;
                }
            }
            var clientEvents = new List<Http2Event>();
            client.Feed(toClient, clientEvents);
            foreach (var e in clientEvents)
            {
                switch (e)
                {
                    case Http2ResponseReceived r:
                        Assert.That(r.StatusCode, Is.EqualTo(200));
                        responses[r.StreamId] = new MemoryStream();
                        break;
                    case Http2DataReceived d:
                        responses[d.StreamId].Write(d.Data.Span);
                        client.ConsumeData(d.StreamId, d.Data.Length);
                        if (d.EndStream) finished.Add(d.StreamId);
                        break;
                    default:
                        Assert.That(e, Is.InstanceOf<Http2PeerSettingsReceived>().Or.InstanceOf<Http2SettingsAcknowledged>().Or.InstanceOf<Http2SendBufferDrained>());
                        break;
                }
            }
        }
        Assert.That(finished, Is.EquivalentTo(requests));
        var reversed = body.Reverse().ToArray();
        foreach (var id in requests)
        {
            Assert.That(received[id].ToArray(), Is.EqualTo(body), $"request body of stream {id}");
            Assert.That(responses[id].ToArray(), Is.EqualTo(reversed), $"response body of stream {id}");
        }
        Assert.That((client.IsFailed, server.IsFailed, client.ActiveStreamCount, server.ActiveStreamCount), Is.EqualTo((false, false, 0, 0)));
    }
}
