using Harness.Flows;

namespace Harness.Proxy.Addons;

/// <summary>
/// A feature of the proxy hooked on its named events (mitmproxy's addons). The proxy's layers raise each event at one
/// point of an exchange and wait for every addon, in order, before going on; an addon that throws is recorded on the
/// flow (tag <c>handlerError</c>) and the exchange continues. Override only the events you need.
/// </summary>
/// <remarks>
/// Order of events for one HTTP exchange (HTTP/1.1 or one HTTP/2 stream): <see cref="RequestHeadersAsync"/>,
/// <see cref="RequestCompleteAsync"/>, <see cref="ResponseHeadersAsync"/>, <see cref="ResponseCompleteAsync"/>,
/// <see cref="FlowCompleteAsync"/>. A WebSocket session adds <see cref="WebSocketMessageAsync"/> per message; a refused
/// TLS handshake raises <see cref="TlsFailureAsync"/> and then <see cref="FlowCompleteAsync"/>. Every flow, whatever
/// went wrong, ends with exactly one <see cref="FlowCompleteAsync"/>.
/// </remarks>
public abstract class ProxyAddon
{
    /// <summary>Request head known, body not read yet. <see cref="ProxySession.Respond(LocalResponse)"/> answers locally.</summary>
    public virtual ValueTask RequestHeadersAsync(ProxySession session) => ValueTask.CompletedTask;

    /// <summary>Request body read (and, for the upstream, sent).</summary>
    public virtual ValueTask RequestCompleteAsync(ProxySession session) => ValueTask.CompletedTask;

    /// <summary>Final response head known (from the origin or a local answer), before it goes to the client.</summary>
    public virtual ValueTask ResponseHeadersAsync(ProxySession session) => ValueTask.CompletedTask;

    /// <summary>Response body relayed to the client.</summary>
    public virtual ValueTask ResponseCompleteAsync(ProxySession session) => ValueTask.CompletedTask;

    /// <summary>One complete WebSocket message, in either direction, as it is relayed.</summary>
    public virtual ValueTask WebSocketMessageAsync(ProxySession session, WebSocketMessage message) => ValueTask.CompletedTask;

    /// <summary>The client refused our TLS handshake (pinning, unknown CA) or it timed out; <c>Flow.Tls</c> says how.</summary>
    public virtual ValueTask TlsFailureAsync(ProxySession session) => ValueTask.CompletedTask;

    /// <summary>The flow is final. Addons run in order: masking, then recording, then the library's own.</summary>
    public virtual ValueTask FlowCompleteAsync(ProxySession session) => ValueTask.CompletedTask;
}
