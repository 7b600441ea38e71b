namespace Harness.Proxy.Layers;

/// <summary>
/// One command from a layer to its pump. A struct in a reused list: a relayed body chunk costs no allocation. Data may
/// point into the parser's read buffer, so the pump executes a batch before it reads again.
/// </summary>
internal readonly record struct ProxyCommand(ProxyCommandKind Kind, ReadOnlyMemory<byte> Data = default)
{
    public static ProxyCommand ToClient(ReadOnlyMemory<byte> data) => new(ProxyCommandKind.SendToClient, data);
    public static ProxyCommand ToUpstream(ReadOnlyMemory<byte> data) => new(ProxyCommandKind.SendToUpstream, data);
    public static readonly ProxyCommand FlushClient = new(ProxyCommandKind.FlushClient);
    public static readonly ProxyCommand ResponseHeaders = new(ProxyCommandKind.ResponseHeaders);
}
