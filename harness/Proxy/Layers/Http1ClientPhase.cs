namespace Harness.Proxy.Layers;

/// <summary>Where <see cref="Http1ClientLayer"/> is in the client connection's current exchange.</summary>
internal enum Http1ClientPhase
{
    /// <summary>Between exchanges: waiting for a request head.</summary>
    Idle,
    /// <summary>A CONNECT head came: waiting for its end before answering.</summary>
    ConnectHead,
    /// <summary>CONNECT was answered 200: waiting for what the client sends first.</summary>
    TunnelStart,
    /// <summary>The flow was asked for; what it records depends on why (an exchange, a bad target, a parse error, a bad CONNECT, a tunnel the client never used).</summary>
    OpeningExchange,
    OpeningBadTarget,
    OpeningProtocolError,
    OpeningBadConnect,
    OpeningEmptyTunnel,
    /// <summary>The request-headers addons run: afterwards, answered locally or sent upstream.</summary>
    RequestHeaders,
    /// <summary>The request body streams (to the origin, or only into the flow for a local answer).</summary>
    RequestBody,
    /// <summary>The request-complete addons run.</summary>
    RequestComplete,
    /// <summary>The origin's response is relayed.</summary>
    Response,
    /// <summary>The response-headers addons run on a local answer, before it is written.</summary>
    LocalResponseHeaders,
    /// <summary>The layer is done with the connection.</summary>
    Closed,
}
