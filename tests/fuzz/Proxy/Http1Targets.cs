using Harness.Proxy.Http1;

namespace Harness.Fuzz;

/// <summary>
/// The HTTP/1.1 parsers report bad input as an <see cref="Http1ParseError"/> event, never by throwing: any exception
/// here is a crash. Input arrives in fuzzer-chosen chunks, then EOF, exactly as the proxy's connection loop feeds it.
/// </summary>
public static class Http1Targets
{
    public static void Request(byte[] input) => Run(new Http1RequestParser(SmallLimits), input);

    public static void Response(byte[] input)
    {
        var parser = new Http1ResponseParser(SmallLimits);
        // The method steers the framing (HEAD and CONNECT have no body): let the input pick it.
        var methods = new[] { "GET", "HEAD", "CONNECT", "POST" };
        var method = input.Length > 1 ? methods[input[1] % methods.Length] : "GET";
        for (var i = 0; i < 4; i++) parser.ExpectResponseTo(method);
        Run(parser, input);
    }

    // Small limits reach the limit checks with the short inputs afl prefers.
    private static readonly Http1Limits SmallLimits = new() { MaxHeadBytes = 2048, MaxHeaderCount = 16, MaxChunkLineBytes = 64, MaxTrailerBytes = 256 };

    private static void Run(Http1MessageParser parser, byte[] input)
    {
        var events = new List<Http1Event>();
        var failed = false;
        foreach (var chunk in FuzzHost.Chunks(input))
        {
            parser.Feed(chunk.Span, events);
            if (parser.IsPaused)
            {
                // What the proxy does after a declined Upgrade: take the bytes back over and keep parsing.
                parser.Resume(events);
            }
            failed = Check(events, failed);
            events.Clear();
        }
        parser.FeedEof(events);
        Check(events, failed);
        parser.TakeRemainder();
    }

    /// <returns>Whether the parser has reported an error so far.</returns>
    private static bool Check(List<Http1Event> events, bool failedBefore)
    {
        var failed = failedBefore;
        foreach (var e in events)
        {
            // Nothing may follow an error: the parser promised to go quiet.
            if (failed) throw new InvalidOperationException($"event {e.GetType().Name} after a parse error");
            failed = e is Http1ParseError;
        }
        return failed;
    }
}
