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

    /// <summary>A command as one readable line.</summary>
    public static string Render(ProxyCommand c) => c.Kind switch
    {
        ProxyCommandKind.SendToClient => "client< " + Encoding.Latin1.GetString(c.Data.Span),
        ProxyCommandKind.TrySendToClient => "client<? " + Encoding.Latin1.GetString(c.Data.Span),
        ProxyCommandKind.SendToUpstream => "upstream< " + Encoding.Latin1.GetString(c.Data.Span),
        ProxyCommandKind.FlushClient => "flush client",
        ProxyCommandKind.FlushUpstream => "flush upstream",
        ProxyCommandKind.RaiseAddonEvent => c.Event switch
        {
            AddonEvent.RequestHeaders => "hook request-headers",
            AddonEvent.RequestComplete => "hook request-complete",
            AddonEvent.ResponseHeaders => "hook response-headers",
            _ => "hook response-complete",
        },
        ProxyCommandKind.OpenFlow => $"open flow {c.FlowKind} {c.Scheme} {c.Host}:{c.Port}",
        ProxyCommandKind.CompleteFlow => "complete flow",
        ProxyCommandKind.ConnectUpstream => $"connect {c.Host}:{c.Port}{(c.Tls ? " tls" : "")}",
        ProxyCommandKind.ExpectUpstreamResponse => "expect response to " + c.Method,
        ProxyCommandKind.CloseUpstream => "close upstream",
        ProxyCommandKind.ResumeClient => "resume client",
        ProxyCommandKind.InterceptTls => $"intercept tls {c.Host}:{c.Port}",
        ProxyCommandKind.ServePlainTunnel => $"serve plain tunnel {c.Host}:{c.Port}",
        ProxyCommandKind.RelayOpaqueTunnel => $"relay opaque tunnel {c.Host}:{c.Port}",
        ProxyCommandKind.RelayWebSocket => "relay websocket",
        ProxyCommandKind.AcceptWebSocketLocally => "accept websocket locally",
        ProxyCommandKind.Close => "close",
        _ => c.Kind.ToString(),
    };
}
