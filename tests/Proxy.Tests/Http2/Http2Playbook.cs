using System.Buffers;
using System.Text;
using Harness.Flows;
using Harness.Proxy.Http2;

namespace Harness.Proxy.Tests.Http2;

/// <summary>
/// Drives one <see cref="Http2Connection"/> as mitmproxy's playbooks do: the test plays the peer, writing frames
/// (with its own HPACK encoder) and reading the connection's output back frame by frame, both as compact strings.
/// </summary>
public sealed class Http2Playbook
{
    private readonly HpackEncoder _peerEncoder = new();
    private readonly HpackDecoder _peerDecoder = new();
    private readonly Http2FrameReader _outputReader = new(Http2Settings.MaxMaxFrameSize);
    private readonly ArrayBufferWriter<byte> _wire = new();
    private bool _outputPrefaceSeen;

    private Http2Playbook(Http2Connection connection)
    {
        Connection = connection;
        _outputPrefaceSeen = connection.Role == Http2Role.Server;
    }

    public Http2Connection Connection { get; }

    /// <summary>Every event reported so far.</summary>
    public List<Http2Event> Events { get; } = [];

    /// <summary>A server-role connection; with <paramref name="handshake"/>, the preface, SETTINGS and their ACKs are already exchanged.</summary>
    public static Http2Playbook Server(Http2ConnectionOptions? options = null, bool handshake = true, params Http2Setting[] peerSettings)
    {
        var playbook = new Http2Playbook(new Http2Connection(Http2Role.Server, options));
        if (handshake)
        {
            playbook.Raw(Http2Preface.Bytes.ToArray()).Settings(peerSettings).SettingsAck().Send();
            playbook.Output();
            playbook.Events.Clear();
        }
        return playbook;
    }

    public static Http2Playbook Client(Http2ConnectionOptions? options = null, bool handshake = true, params Http2Setting[] peerSettings)
    {
        var playbook = new Http2Playbook(new Http2Connection(Http2Role.Client, options));
        if (handshake)
        {
            playbook.Settings(peerSettings).SettingsAck().Send();
            playbook.Output();
            playbook.Events.Clear();
        }
        return playbook;
    }

    public static List<HeaderField> Fields(params string[] nameValues) =>
        nameValues.Select(nv => nv.IndexOf('=', 1) is var i and > 0 ? new HeaderField(nv[..i], nv[(i + 1)..]) : throw new ArgumentException(nv)).ToList();

    public static List<HeaderField> Get(string path = "/", string authority = "example.test") =>
        Fields(":method=GET", ":scheme=https", ":authority=" + authority, ":path=" + path);

    // ---- what the peer writes

    public Http2Playbook Raw(byte[] bytes)
    {
        _wire.Write(bytes);
        return this;
    }

    public Http2Playbook Frame(Http2FrameType type, byte flags, int streamId, byte[] payload)
    {
        Http2FrameWriter.WriteHeader(_wire, payload.Length, type, flags, streamId);
        _wire.Write(payload);
        return this;
    }

    public Http2Playbook Settings(params Http2Setting[] settings)
    {
        Http2FrameWriter.WriteSettings(_wire, settings);
        return this;
    }

    public Http2Playbook SettingsAck()
    {
        Http2FrameWriter.WriteSettingsAck(_wire);
        return this;
    }

    public Http2Playbook Headers(int streamId, IReadOnlyList<HeaderField> fields, bool endStream, int maxFrameSize = 16384)
    {
        Http2FrameWriter.WriteHeaders(_wire, streamId, _peerEncoder.Encode(fields), endStream, maxFrameSize);
        return this;
    }

    public Http2Playbook Data(int streamId, string text, bool endStream, int? padLength = null) => Data(streamId, Encoding.Latin1.GetBytes(text), endStream, padLength);

    public Http2Playbook Data(int streamId, byte[] data, bool endStream, int? padLength = null)
    {
        Http2FrameWriter.WriteData(_wire, streamId, data, endStream, padLength);
        return this;
    }

    public Http2Playbook WindowUpdate(int streamId, int increment)
    {
        Http2FrameWriter.WriteWindowUpdate(_wire, streamId, increment);
        return this;
    }

    public Http2Playbook Rst(int streamId, Http2ErrorCode code)
    {
        Http2FrameWriter.WriteRstStream(_wire, streamId, code);
        return this;
    }

    public Http2Playbook GoAway(int lastStreamId, Http2ErrorCode code)
    {
        Http2FrameWriter.WriteGoAway(_wire, lastStreamId, code, "bye"u8);
        return this;
    }

    public Http2Playbook Ping(ulong payload, bool ack = false)
    {
        Http2FrameWriter.WritePing(_wire, payload, ack);
        return this;
    }

    /// <summary>Feeds what the peer wrote (whole, or one byte at a time) and returns the new events, described.</summary>
    public List<string> Send(bool bytewise = false)
    {
        var bytes = _wire.WrittenSpan.ToArray();
        _wire.ResetWrittenCount();
        var events = new List<Http2Event>();
        if (bytewise)
        {
            foreach (var b in bytes) Connection.Feed([b], events);
        }
        else
        {
            Connection.Feed(bytes, events);
        }
        Events.AddRange(events);
        return Describe(events);
    }

    public List<string> SendEof()
    {
        var events = new List<Http2Event>();
        Connection.FeedEof(events);
        Events.AddRange(events);
        return Describe(events);
    }

    // ---- what the connection wrote

    /// <summary>The connection's output since the last call, one string per frame (after the client preface, which is checked).</summary>
    public List<string> Output()
    {
        var bytes = Connection.TakeOutput().AsSpan();
        if (!_outputPrefaceSeen)
        {
            Assert.That(bytes.Length, Is.GreaterThanOrEqualTo(Http2Preface.Length), "the client preface");
            Assert.That(Http2Preface.Match(bytes), Is.EqualTo(Http2PrefaceMatch.Preface));
            bytes = bytes[Http2Preface.Length..];
            _outputPrefaceSeen = true;
        }
        _outputReader.Append(bytes);
        var frames = new List<string>();
        var headerBlock = new List<byte>();
        while (_outputReader.TryRead(out var frame)) frames.Add(DescribeFrame(frame, headerBlock));
        Assert.That(_outputReader.Buffered, Is.Zero, "the output ends with a whole frame");
        return frames;
    }

    private string DescribeFrame(Http2Frame frame, List<byte> headerBlock)
    {
        switch (frame)
        {
            case Http2HeadersFrame h:
                headerBlock.Clear();
                headerBlock.AddRange(h.Fragment.ToArray());
                return $"HEADERS {h.StreamId}{(h.EndStream ? " end" : "")}" + (h.EndHeaders ? " " + DecodeBlock(headerBlock) : "");
            case Http2ContinuationFrame c:
                headerBlock.AddRange(c.Fragment.ToArray());
                return $"CONTINUATION {c.StreamId}" + (c.EndHeaders ? " " + DecodeBlock(headerBlock) : "");
            case Http2DataFrame d:
                return $"DATA {d.StreamId} {(d.Data.Length <= 16 ? Encoding.Latin1.GetString(d.Data.Span) : "len=" + d.Data.Length)}{(d.EndStream ? " end" : "")}";
            case Http2SettingsFrame s:
                return s.Ack ? "SETTINGS ACK" : "SETTINGS " + string.Join(",", s.Settings.Select(x => $"{x.Id}={x.Value}"));
            case Http2WindowUpdateFrame w:
                return $"WINDOW_UPDATE {w.StreamId} +{w.Increment}";
            case Http2RstStreamFrame r:
                return $"RST_STREAM {r.StreamId} {r.ErrorCode}";
            case Http2GoAwayFrame g:
                return $"GOAWAY {g.LastStreamId} {g.ErrorCode}";
            case Http2PingFrame p:
                return $"PING{(p.Ack ? " ACK" : "")} {p.Payload}";
            default:
                return frame.GetType().Name;
        }
    }

    private string DecodeBlock(List<byte> block) => string.Join(" ", _peerDecoder.Decode(block.ToArray()).Select(f => $"{f.Name}={f.Value}"));

    public static List<string> Describe(IEnumerable<Http2Event> events) => events.Select(e => e switch
    {
        Http2RequestReceived r => $"request {r.StreamId} {r.Method} {r.Path ?? r.Authority}{(r.EndStream ? " end" : "")}",
        Http2ResponseReceived r => $"response {r.StreamId} {r.StatusCode}{(r.EndStream ? " end" : "")}",
        Http2TrailersReceived t => $"trailers {t.StreamId} " + string.Join(" ", t.Fields.Select(f => $"{f.Name}={f.Value}")),
        Http2DataReceived d => $"data {d.StreamId} {(d.Data.Length <= 16 ? Encoding.Latin1.GetString(d.Data.Span) : "len=" + d.Data.Length)}{(d.EndStream ? " end" : "")}",
        Http2StreamReset r => $"reset {r.StreamId} {r.ErrorCode} {r.Origin}",
        Http2GoAwayReceived g => $"goaway {g.LastStreamId} {g.ErrorCode}",
        Http2SettingsAcknowledged => "settings-ack",
        Http2PeerSettingsReceived => "peer-settings",
        Http2PingAcknowledged p => $"ping-ack {p.Payload}",
        Http2ConnectionError c => $"connection-error {c.ErrorCode}",
        Http2SendBufferDrained d => $"drained {d.StreamId}",
        _ => e.GetType().Name,
    }).ToList();
}
