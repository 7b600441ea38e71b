using Harness.Flows;

namespace Harness.Proxy.Addons;

/// <summary>
/// The proxy's addons in the order they run, and the one place that raises each named event. An addon that throws
/// does not break capture: the failure is kept on the flow (tag <c>handlerError</c>) and the next addon runs.
/// </summary>
internal sealed class AddonPipeline(IReadOnlyList<ProxyAddon> addons)
{
    public const string HandlerErrorTag = "handlerError";

    public IReadOnlyList<ProxyAddon> Addons => addons;

    public ValueTask RequestHeadersAsync(ProxySession session) => RunAsync(session, static (a, s) => a.RequestHeadersAsync(s));
    public ValueTask RequestCompleteAsync(ProxySession session) => RunAsync(session, static (a, s) => a.RequestCompleteAsync(s));
    public ValueTask ResponseHeadersAsync(ProxySession session) => RunAsync(session, static (a, s) => a.ResponseHeadersAsync(s));
    public ValueTask ResponseCompleteAsync(ProxySession session) => RunAsync(session, static (a, s) => a.ResponseCompleteAsync(s));
    public ValueTask TlsFailureAsync(ProxySession session) => RunAsync(session, static (a, s) => a.TlsFailureAsync(s));
    public ValueTask FlowCompleteAsync(ProxySession session) => RunAsync(session, static (a, s) => a.FlowCompleteAsync(s));

    public async ValueTask WebSocketMessageAsync(ProxySession session, WebSocketMessage message)
    {
        foreach (var addon in addons)
        {
            try { await addon.WebSocketMessageAsync(session, message).ConfigureAwait(false); }
            catch (Exception e) { Keep(session, e); }
        }
    }

    private async ValueTask RunAsync(ProxySession session, Func<ProxyAddon, ProxySession, ValueTask> hook)
    {
        // Indexed: a foreach over the interface would allocate an enumerator per event, six events per request.
        for (var i = 0; i < addons.Count; i++)
        {
            var addon = addons[i];
            try { await hook(addon, session).ConfigureAwait(false); }
            catch (Exception e) { Keep(session, e); }
        }
    }

    private static void Keep(ProxySession session, Exception e) =>
        session.Flow.Tags[HandlerErrorTag] = e.GetType().Name + ": " + e.Message;
}
