namespace Harness.Proxy.Addons;

/// <summary>
/// The proxy's .NET events (<see cref="InterceptingProxy.BeforeRequest"/>, <see cref="InterceptingProxy.BeforeResponse"/>)
/// as an addon: handlers that answer with <see cref="ProxySession.Respond(LocalResponse)"/> are the "local answers".
/// </summary>
internal sealed class EventHandlerAddon(InterceptingProxy proxy) : ProxyAddon
{
    public override ValueTask RequestHeadersAsync(ProxySession session) => new(proxy.RaiseBeforeRequestAsync(session));

    public override ValueTask ResponseHeadersAsync(ProxySession session) => new(proxy.RaiseBeforeResponseAsync(session));
}
