namespace Harness.Proxy.Layers;

/// <summary>What <see cref="Http1ClientLayer"/> waits for once its pump has executed the last batch of commands.</summary>
internal enum Http1ClientWants
{
    /// <summary>The client's next parser event (a request head, body bytes, or the connection closing).</summary>
    ClientEvent,
    /// <summary>The origin's next parser event.</summary>
    UpstreamEvent,
    /// <summary>CONNECT was answered: the client's first bytes in the tunnel (empty when it closed or stayed silent).</summary>
    TunnelStart,
    /// <summary>Nothing from outside: call <see cref="Http1ClientLayer.Continue"/> (the addons of the last event have run).</summary>
    Continue,
    /// <summary>The layer is done; the connection closes (or a tunnel took it over).</summary>
    Nothing,
}
