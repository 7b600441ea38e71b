using Harness.Flows;
using Harness.Proxy.Http2;

namespace Harness.Fuzz;

/// <summary>
/// The HTTP/2 connection reports bad input as events (<see cref="Http2ConnectionError"/>, <see cref="Http2StreamReset"/>),
/// never by throwing: any exception out of Feed is a crash. HPACK reports bad blocks as <see cref="HpackException"/> only.
/// </summary>
public static class Http2Targets
{
    private static readonly Http2ConnectionOptions SmallWindows = new() { InitialStreamWindowSize = 1000, ConnectionWindowSize = 65535, MaxHeaderBlockSize = 8192, MaxConcurrentStreams = 8, EnableConnectProtocol = true };

    /// <summary>The input (after its chunk-size byte) is what a client sends after the preface, fed to a server-role
    /// connection, and what an origin sends, fed to a client-role connection with three requests open.</summary>
    public static void Frames(byte[] input)
    {
        var server = new Http2Connection(Http2Role.Server, SmallWindows);
        var client = new Http2Connection(Http2Role.Client, SmallWindows);
        var events = new List<Http2Event>();
        server.Feed(Http2Preface.Bytes, events);
        for (var i = 0; i < 3; i++)
        {
            var id = client.SubmitRequest([new(":method", "POST"), new(":scheme", "https"), new(":authority", "h"), new(":path", "/" + i)], endStream: false);
            client.SendData(id, new byte[3000], endStream: i != 1);
        }
        CheckOutput(server.TakeOutput(), skipPreface: false);
        CheckOutput(client.TakeOutput(), skipPreface: true);
        foreach (var chunk in FuzzHost.Chunks(input))
        {
            Pump(server, chunk.Span, events);
            Pump(client, chunk.Span, events);
            CheckOutput(server.TakeOutput(), skipPreface: false);
            CheckOutput(client.TakeOutput(), skipPreface: false);
        }
        server.FeedEof(events);
        client.FeedEof(events);
    }

    /// <summary>Decodes the input as one header block; what decodes must survive our encoder and decode the same.</summary>
    public static void Hpack(byte[] input)
    {
        var decoder = new HpackDecoder();
        List<HeaderField> fields;
        try
        {
            // Bounded as the connection bounds it: a few octets of indexed fields can name kilobytes each.
            if (!decoder.TryDecode(input, 64 * 1024, out fields)) return;
            // A second block against the same table: size updates and indexes into what the first one added.
            decoder.TryDecode(input, 64 * 1024, out _);
        }
        catch (HpackException)
        {
            return;
        }
        var lowered = fields.Select(HpackEncoder.ToLowerName).ToList();
        var encoder = new HpackEncoder(input.Length > 0 ? input[0] * 16 : 4096);
        var reader = new HpackDecoder();
        for (var round = 0; round < 2; round++)
        {
            var again = reader.Decode(encoder.Encode(fields));
            if (!again.SequenceEqual(lowered)) throw new InvalidOperationException($"round {round}: re-encoded header list differs");
        }
    }

    // Plays a pump: answers requests, consumes data, so the sending paths run too.
    private static void Pump(Http2Connection connection, ReadOnlySpan<byte> data, List<Http2Event> events)
    {
        events.Clear();
        connection.Feed(data, events);
        var failed = false;
        foreach (var e in events)
        {
            if (failed && e is not Http2StreamReset) throw new InvalidOperationException($"{e.GetType().Name} after a connection error");
            failed |= e is Http2ConnectionError;
            switch (e)
            {
                case Http2RequestReceived r:
                    connection.SubmitResponse(r.StreamId, [new(":status", "200")], endStream: false);
                    connection.SendData(r.StreamId, new byte[2000], endStream: false);
                    connection.SubmitTrailers(r.StreamId, [new("x-done", "1")]);
                    break;
                case Http2DataReceived d:
                    connection.ConsumeData(d.StreamId, d.Data.Length);
                    break;
            }
        }
    }

    // Whatever we write must be well-formed frames.
    private static void CheckOutput(byte[] output, bool skipPreface)
    {
        var reader = new Http2FrameReader(Http2Settings.MaxMaxFrameSize);
        reader.Append(skipPreface ? output.AsSpan(Http2Preface.Length) : output);
        while (reader.TryRead(out _)) { }
        if (reader.Buffered != 0) throw new InvalidOperationException("output ends inside a frame");
    }
}
