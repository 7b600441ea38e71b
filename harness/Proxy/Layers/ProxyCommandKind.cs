namespace Harness.Proxy.Layers;

/// <summary>What a protocol layer asks its pump to do (the pump owns the sockets, streams, flows and addons).</summary>
internal enum ProxyCommandKind
{
    /// <summary>Write <see cref="ProxyCommand.Data"/> to the client (it may sit in a coalescing buffer until a flush).</summary>
    SendToClient,
    /// <summary>Push what was written to the client onto the wire: the client may be waiting for it.</summary>
    FlushClient,
    /// <summary>Write <see cref="ProxyCommand.Data"/> to the client and flush, ignoring a client that is gone (a last answer before closing).</summary>
    TrySendToClient,
    /// <summary>Write <see cref="ProxyCommand.Data"/> to the origin.</summary>
    SendToUpstream,
    /// <summary>Push what was written to the origin onto the wire.</summary>
    FlushUpstream,
    /// <summary>Raise <see cref="ProxyCommand.Event"/> and wait for the addons before the next command.</summary>
    RaiseAddonEvent,
    /// <summary>Open the exchange's flow (<see cref="ProxyCommand.FlowKind"/>, host, port, scheme) and hand it to the layer at once.</summary>
    OpenFlow,
    /// <summary>Complete the open flow (its flow-complete addons run: masking, recording).</summary>
    CompleteFlow,
    /// <summary>Have a connection to the origin <see cref="ProxyCommand.Host"/>:<see cref="ProxyCommand.Port"/> (TLS or not): the one held if it matches, else a new one.</summary>
    ConnectUpstream,
    /// <summary>The origin's next response answers a <see cref="ProxyCommand.Method"/> request (HEAD has no body).</summary>
    ExpectUpstreamResponse,
    /// <summary>Close the origin connection held (it cannot carry another exchange).</summary>
    CloseUpstream,
    /// <summary>Parse the client's bytes again after a paused Upgrade request that did not switch protocols.</summary>
    ResumeClient,
    /// <summary>The tunnel starts with a TLS handshake: intercept it for <see cref="ProxyCommand.Host"/>:<see cref="ProxyCommand.Port"/> (flows start at <see cref="ProxyCommand.Start"/>).</summary>
    InterceptTls,
    /// <summary>The tunnel carries clear-text HTTP (ws://, http:// through CONNECT, h2c): serve it for <see cref="ProxyCommand.Host"/>:<see cref="ProxyCommand.Port"/>.</summary>
    ServePlainTunnel,
    /// <summary>The tunnel carries something else: relay it (or sink it) opaquely, recording its bytes.</summary>
    RelayOpaqueTunnel,
    /// <summary>The origin switched to WebSocket: relay frames both ways on the open flow.</summary>
    RelayWebSocket,
    /// <summary>A local WebSocket (canary, sinkhole) was accepted: record the client's frames, answer pings and close.</summary>
    AcceptWebSocketLocally,
    /// <summary>The layer is done with the connection.</summary>
    Close,
}
