namespace Harness.Flows;

public enum FlowKind
{
    /// <summary>An HTTP request, with or without a response.</summary>
    Http,
    /// <summary>An HTTP request that upgraded to WebSocket; messages are on the flow.</summary>
    WebSocket,
    /// <summary>Bytes after CONNECT that were not TLS (or not intercepted) relayed as they were.</summary>
    Tunnel,
    /// <summary>A connection that ended before any request could be read, e.g. TLS refused by the client.</summary>
    Connection,
}
