using Harness.Proxy.Http2;

namespace Harness.Proxy.Tests.Http2;

/// <summary>
/// The smallest pump for the interop tests: runs an <see cref="Http2Connection"/> over a real stream (TCP or TLS),
/// reading, feeding, handing each event to the test and writing the output, until the handler says it is done or the
/// peer closes. The proxy's own pump lives elsewhere; this one only proves the layer speaks to real peers.
/// </summary>
internal static class Http2SocketPump
{
    /// <param name="handle">Called for each event; returns true when the test has what it waited for.</param>
    public static async Task RunAsync(Http2Connection h2, Stream stream, Func<Http2Event, bool> handle, CancellationToken ct, byte[]? alreadyRead = null)
    {
        var events = new List<Http2Event>();
        var done = false;
        if (alreadyRead is { Length: > 0 })
        {
            h2.Feed(alreadyRead, events);
            done = Dispatch(events, handle);
        }
        await FlushAsync(h2, stream, ct);
        var buffer = new byte[64 * 1024];
        while (!done && !h2.IsFailed)
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0) h2.FeedEof(events);
            else h2.Feed(buffer.AsSpan(0, read), events);
            done = Dispatch(events, handle);
            await FlushAsync(h2, stream, ct);
            if (read == 0) return;
        }
    }

    public static async Task FlushAsync(Http2Connection h2, Stream stream, CancellationToken ct)
    {
        var output = h2.TakeOutput();
        if (output.Length == 0) return;
        await stream.WriteAsync(output, ct);
        await stream.FlushAsync(ct);
    }

    private static bool Dispatch(List<Http2Event> events, Func<Http2Event, bool> handle)
    {
        var done = false;
        foreach (var e in events) done |= handle(e);
        events.Clear();
        return done;
    }
}
