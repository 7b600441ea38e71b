using Harness.Flows;

namespace Harness.Proxy.Layers;

/// <summary>
/// One command from a layer to its pump. A struct in a reused list: a relayed body chunk costs no allocation. Data may
/// point into the parser's read buffer, so the pump executes a batch before it reads again.
/// </summary>
internal readonly record struct ProxyCommand(
    ProxyCommandKind Kind,
    ReadOnlyMemory<byte> Data = default,
    string? Host = null,
    int Port = 0,
    bool Tls = false,
    string? Scheme = null,
    FlowKind FlowKind = default,
    string? Method = null,
    AddonEvent Event = default,
    DateTimeOffset Start = default)
{
    public static ProxyCommand ToClient(ReadOnlyMemory<byte> data) => new(ProxyCommandKind.SendToClient, data);
    public static ProxyCommand TryToClient(ReadOnlyMemory<byte> data) => new(ProxyCommandKind.TrySendToClient, data);
    public static ProxyCommand ToUpstream(ReadOnlyMemory<byte> data) => new(ProxyCommandKind.SendToUpstream, data);
    public static ProxyCommand Raise(AddonEvent addonEvent) => new(ProxyCommandKind.RaiseAddonEvent, Event: addonEvent);
    /// <summary>Open a flow; it starts now unless <paramref name="start"/> says when (a tunnel's flow starts at its CONNECT).</summary>
    public static ProxyCommand OpenFlow(FlowKind kind, string host, int port, string scheme, DateTimeOffset start = default) =>
        new(ProxyCommandKind.OpenFlow, Host: host, Port: port, Scheme: scheme, FlowKind: kind, Start: start);
    public static ProxyCommand Connect(string host, int port, bool tls) => new(ProxyCommandKind.ConnectUpstream, Host: host, Port: port, Tls: tls);
    public static ProxyCommand ExpectResponseTo(string method) => new(ProxyCommandKind.ExpectUpstreamResponse, Method: method);
    public static ProxyCommand Tunnel(ProxyCommandKind kind, string host, int port, DateTimeOffset start) => new(kind, Host: host, Port: port, Start: start);
    public static readonly ProxyCommand FlushClient = new(ProxyCommandKind.FlushClient);
    public static readonly ProxyCommand FlushUpstream = new(ProxyCommandKind.FlushUpstream);
    public static readonly ProxyCommand ResponseHeaders = Raise(AddonEvent.ResponseHeaders);
    public static readonly ProxyCommand CompleteFlow = new(ProxyCommandKind.CompleteFlow);
    public static readonly ProxyCommand CloseUpstream = new(ProxyCommandKind.CloseUpstream);
    public static readonly ProxyCommand ResumeClient = new(ProxyCommandKind.ResumeClient);
    public static readonly ProxyCommand RelayWebSocket = new(ProxyCommandKind.RelayWebSocket);
    public static readonly ProxyCommand AcceptWebSocketLocally = new(ProxyCommandKind.AcceptWebSocketLocally);
    public static readonly ProxyCommand Close = new(ProxyCommandKind.Close);
}
