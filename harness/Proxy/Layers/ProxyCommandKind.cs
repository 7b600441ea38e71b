namespace Harness.Proxy.Layers;

/// <summary>What a protocol layer asks its pump to do (the pump owns the sockets, streams and addons).</summary>
internal enum ProxyCommandKind
{
    /// <summary>Write <see cref="ProxyCommand.Data"/> to the client (it may sit in a coalescing buffer until a flush).</summary>
    SendToClient,
    /// <summary>Push what was written to the client onto the wire: the client may be waiting for it.</summary>
    FlushClient,
    /// <summary>Write <see cref="ProxyCommand.Data"/> to the origin.</summary>
    SendToUpstream,
    /// <summary>Raise the response-headers event and wait for the addons before the head goes out.</summary>
    ResponseHeaders,
}
