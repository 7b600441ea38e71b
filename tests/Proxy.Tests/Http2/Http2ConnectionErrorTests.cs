using Harness.Proxy.Http2;
using static Harness.Proxy.Tests.Http2.Http2Playbook;

namespace Harness.Proxy.Tests.Http2;

/// <summary>Malformed input that is a connection error: GOAWAY with the right code, open streams lost, input ignored after.</summary>
public sealed class Http2ConnectionErrorTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    public static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, Http2ErrorCode code, Action<Http2Playbook> write) => new TestCaseData(write, code).SetName(name);
        yield return Case("PING of 7 octets", Http2ErrorCode.FrameSizeError, p => p.Frame(Http2FrameType.Ping, 0, 0, new byte[7]));
        yield return Case("frame above SETTINGS_MAX_FRAME_SIZE", Http2ErrorCode.FrameSizeError, p => p.Frame(Http2FrameType.Data, 0, 1, new byte[16385]));
        yield return Case("SETTINGS of 5 octets", Http2ErrorCode.FrameSizeError, p => p.Frame(Http2FrameType.Settings, 0, 0, new byte[5]));
        yield return Case("SETTINGS ACK with payload", Http2ErrorCode.FrameSizeError, p => p.Frame(Http2FrameType.Settings, Http2FrameFlags.Ack, 0, new byte[6]));
        yield return Case("RST_STREAM of 3 octets", Http2ErrorCode.FrameSizeError, p => p.Frame(Http2FrameType.RstStream, 0, 1, new byte[3]));
        yield return Case("WINDOW_UPDATE of 5 octets", Http2ErrorCode.FrameSizeError, p => p.Frame(Http2FrameType.WindowUpdate, 0, 0, new byte[5]));
        yield return Case("GOAWAY of 7 octets", Http2ErrorCode.FrameSizeError, p => p.Frame(Http2FrameType.GoAway, 0, 0, new byte[7]));
        yield return Case("DATA on stream 0", Http2ErrorCode.ProtocolError, p => p.Frame(Http2FrameType.Data, 0, 0, new byte[1]));
        yield return Case("HEADERS on stream 0", Http2ErrorCode.ProtocolError, p => p.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders, 0, [0x82]));
        yield return Case("SETTINGS on stream 1", Http2ErrorCode.ProtocolError, p => p.Frame(Http2FrameType.Settings, 0, 1, []));
        yield return Case("PING on stream 1", Http2ErrorCode.ProtocolError, p => p.Frame(Http2FrameType.Ping, 0, 1, new byte[8]));
        yield return Case("DATA padding as long as the payload", Http2ErrorCode.ProtocolError, p => p.Frame(Http2FrameType.Data, Http2FrameFlags.Padded, 1, [4, 0, 0, 0]));
        yield return Case("DATA on an idle stream", Http2ErrorCode.ProtocolError, p => p.Data(5, "x", endStream: false));
        yield return Case("RST_STREAM on an idle stream", Http2ErrorCode.ProtocolError, p => p.Rst(9, Http2ErrorCode.Cancel));
        yield return Case("WINDOW_UPDATE of 0 on the connection", Http2ErrorCode.ProtocolError, p => p.Frame(Http2FrameType.WindowUpdate, 0, 0, new byte[4]));
        yield return Case("connection window beyond 2^31-1", Http2ErrorCode.FlowControlError, p => p.WindowUpdate(0, int.MaxValue));
        yield return Case("SETTINGS_INITIAL_WINDOW_SIZE 2^31", Http2ErrorCode.FlowControlError, p => p.Settings(new Http2Setting(Http2SettingId.InitialWindowSize, 0x80000000)));
        yield return Case("SETTINGS_MAX_FRAME_SIZE too small", Http2ErrorCode.ProtocolError, p => p.Settings(new Http2Setting(Http2SettingId.MaxFrameSize, 16383)));
        yield return Case("SETTINGS_ENABLE_PUSH 2", Http2ErrorCode.ProtocolError, p => p.Settings(new Http2Setting(Http2SettingId.EnablePush, 2)));
        yield return Case("SETTINGS_ENABLE_CONNECT_PROTOCOL 2", Http2ErrorCode.ProtocolError, p => p.Settings(new Http2Setting(Http2SettingId.EnableConnectProtocol, 2)));
        yield return Case("DATA inside a header block", Http2ErrorCode.ProtocolError, p => p.Frame(Http2FrameType.Headers, 0, 3, [0x82]).Data(1, "x", false));
        yield return Case("CONTINUATION on another stream", Http2ErrorCode.ProtocolError, p => p.Frame(Http2FrameType.Headers, 0, 3, [0x82]).Frame(Http2FrameType.Continuation, Http2FrameFlags.EndHeaders, 5, [0x86]));
        yield return Case("CONTINUATION without HEADERS", Http2ErrorCode.ProtocolError, p => p.Frame(Http2FrameType.Continuation, Http2FrameFlags.EndHeaders, 3, [0x82]));
        yield return Case("stream id going down", Http2ErrorCode.ProtocolError, p => p.Headers(5, Get(), true).Headers(3, Get(), true));
        yield return Case("stream opened with an even id", Http2ErrorCode.ProtocolError, p => p.Headers(4, Get(), true));
        yield return Case("PUSH_PROMISE from a client", Http2ErrorCode.ProtocolError, p => p.Frame(Http2FrameType.PushPromise, Http2FrameFlags.EndHeaders, 1, [0, 0, 0, 2, 0x82]));
        yield return Case("SETTINGS ACK never asked for", Http2ErrorCode.ProtocolError, p => p.SettingsAck());
        yield return Case("HPACK index 0", Http2ErrorCode.CompressionError, p => p.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream, 3, [0x80]));
        yield return Case("HPACK index past the table", Http2ErrorCode.CompressionError, p => p.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream, 3, [0xff, 0x10]));
        yield return Case("HPACK truncated literal", Http2ErrorCode.CompressionError, p => p.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream, 3, Hex("41 85 aa")));
        yield return Case("HPACK bad Huffman padding", Http2ErrorCode.CompressionError, p => p.Frame(Http2FrameType.Headers, Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream, 3, Hex("41 81 00")));
    }

    [TestCaseSource(nameof(Cases))]
    public void MalformedInput_EndsTheConnectionWithGoAway(Action<Http2Playbook> write, Http2ErrorCode code)
    {
        // Stream 1 is open (its request body unfinished) when the bad frame arrives.
        var play = Server();
        play.Headers(1, Fields(":method=POST", ":scheme=https", ":authority=h", ":path=/"), endStream: false).Send();
        write(play);
        var events = play.Send();
        var after = events.SkipWhile(e => e.StartsWith("request ")).ToList();
        Assert.That(after[0], Is.EqualTo($"connection-error {code}"));
        Assert.That(after, Does.Contain("reset 1 Cancel ConnectionLost"));
        // GOAWAY names the last stream the peer opened (a test case may open one before its bad frame).
        Assert.That(play.Output().Last(), Does.Match($"^GOAWAY [15] {code}$"));
        Assert.That(play.Connection.IsFailed);
        // Whatever follows is ignored.
        Assert.That(play.Headers(11, Get(), true).Send(), Is.Empty);
        Assert.That(play.Output(), Is.Empty);
    }

    [Test]
    public void NoPreface_IsAProtocolError()
    {
        var play = Server(handshake: false);
        play.Output();
        Assert.That(play.Raw("GET / HTTP/1.1\r\nHost: h\r\n\r\n"u8.ToArray()).Send(), Is.EqualTo(new[] { "connection-error ProtocolError" }));
        Assert.That(play.Output(), Is.EqualTo(new[] { "GOAWAY 0 ProtocolError" }));
    }

    [Test]
    public void FirstFrameNotSettings_IsAProtocolError()
    {
        var play = Server(handshake: false);
        play.Output();
        Assert.That(play.Raw(Http2Preface.Bytes.ToArray()).Ping(1).Send(), Is.EqualTo(new[] { "connection-error ProtocolError" }));
        Assert.That(play.Output(), Is.EqualTo(new[] { "GOAWAY 0 ProtocolError" }));
    }

    [Test]
    public void HeaderBlockFlood_IsCut()
    {
        var play = Server(new Http2ConnectionOptions { MaxHeaderBlockSize = 40000 });
        play.Frame(Http2FrameType.Headers, 0, 1, [0x82]);
        for (var i = 0; i < 3; i++) play.Frame(Http2FrameType.Continuation, 0, 1, new byte[16000]);
        Assert.That(play.Send(), Is.EqualTo(new[] { "connection-error EnhanceYourCalm" }));
    }
}
