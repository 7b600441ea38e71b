using System.Text;
using Harness.Proxy.Http1;
using Harness.Proxy.Layers;

namespace Harness.Proxy.Tests.Layers;

/// <summary>
/// mitmproxy's Playbook for our HTTP/1.1 layers: bytes go through the real parser, its events through the layer, and the
/// layer's commands come back as readable lines ("client&lt; …", "upstream&lt; …", "flush client", "hook response-headers"),
/// rendered at once because their data may point into the parser's buffer.
/// </summary>
internal sealed class Http1Playbook(Http1MessageParser parser, Action<Http1Event?, List<ProxyCommand>> layer)
{
    private readonly List<ProxyCommand> _commands = [];

    /// <summary>Events the layer did not take (it stopped wanting them), e.g. the next pipelined request.</summary>
    public List<Http1Event> Unhandled { get; } = [];

    public Func<bool> Done { get; init; } = () => false;

    public List<string> Feed(string wire, bool eof = false)
    {
        var events = new List<Http1Event>();
        parser.Feed(Encoding.Latin1.GetBytes(wire), events);
        if (eof) parser.FeedEof(events);
        var lines = new List<string>();
        foreach (var ev in events)
        {
            if (Done()) { Unhandled.Add(ev); continue; }
            lines.AddRange(Run(ev));
        }
        return lines;
    }

    /// <summary>The connection ended with nothing more from the peer.</summary>
    public List<string> End() => Run(null);

    private List<string> Run(Http1Event? ev)
    {
        _commands.Clear();
        layer(ev, _commands);
        return _commands.Select(Render).ToList();
    }

    private static string Render(ProxyCommand c) => c.Kind switch
    {
        ProxyCommandKind.SendToClient => "client< " + Encoding.Latin1.GetString(c.Data.Span),
        ProxyCommandKind.SendToUpstream => "upstream< " + Encoding.Latin1.GetString(c.Data.Span),
        ProxyCommandKind.FlushClient => "flush client",
        ProxyCommandKind.ResponseHeaders => "hook response-headers",
        _ => c.Kind.ToString(),
    };
}
