using System.Text;
using Harness.Proxy.Http1;

namespace Harness.Proxy.Tests.Http1;

/// <summary>Feeds bytes to a parser (whole, or split at every offset) and collects the events.</summary>
internal static class ParserHarness
{
    public static List<Http1Event> Feed(Http1MessageParser parser, string wire, bool eof = false) => Feed(parser, Encoding.Latin1.GetBytes(wire), eof);

    public static List<Http1Event> Feed(Http1MessageParser parser, byte[] wire, bool eof = false)
    {
        var events = new List<Http1Event>();
        parser.Feed(wire, events);
        if (eof) parser.FeedEof(events);
        return events;
    }

    /// <summary>Feeds one byte at a time: framing must not depend on how reads split the stream.</summary>
    public static List<Http1Event> FeedBytewise(Http1MessageParser parser, string wire, bool eof = false)
    {
        var events = new List<Http1Event>();
        foreach (var b in Encoding.Latin1.GetBytes(wire)) parser.Feed([b], events);
        if (eof) parser.FeedEof(events);
        return events;
    }

    public static string Body(IEnumerable<Http1Event> events) =>
        Encoding.Latin1.GetString(events.OfType<Http1BodyData>().SelectMany(d => d.Data.ToArray()).ToArray());

    /// <summary>Events as compact strings, with consecutive body data merged so splits do not matter.</summary>
    public static List<string> Describe(IEnumerable<Http1Event> events)
    {
        var list = new List<string>();
        var body = new StringBuilder();
        foreach (var e in events)
        {
            if (e is Http1BodyData d) { body.Append(Encoding.Latin1.GetString(d.Data.Span)); continue; }
            if (body.Length > 0) { list.Add("data:" + body); body.Clear(); }
            list.Add(e switch
            {
                Http1RequestHead h => $"req:{h.Method} {h.Target} {h.Version} {h.Framing}",
                Http1ResponseHead r => $"resp:{r.StatusCode} {r.Framing}",
                Http1Trailers t => "trailers:" + string.Join(",", t.Headers.Select(x => $"{x.Name}={x.Value}")),
                Http1MessageComplete => "complete",
                Http1ParseError p => $"error:{p.StatusCode}",
                _ => e.GetType().Name,
            });
        }
        if (body.Length > 0) list.Add("data:" + body);
        return list;
    }
}
