using Harness.Flows;
using Harness.Proxy.Addons;

namespace Harness.Proxy.Tests.Addons;

/// <summary>A library user's addon: notes every event it hears (per host), and answers requests to one host itself.</summary>
internal sealed class RecordingAddon(string? answerHost = null) : ProxyAddon
{
    private readonly List<string> _events = [];

    public IReadOnlyList<string> EventsFor(string host)
    {
        lock (_events) return _events.Where(e => e.StartsWith(host + " ", StringComparison.Ordinal)).Select(e => e[(host.Length + 1)..]).ToList();
    }

    private ValueTask Note(ProxySession session, string name)
    {
        lock (_events) _events.Add(session.Flow.Host + " " + name);
        return ValueTask.CompletedTask;
    }

    public override ValueTask RequestHeadersAsync(ProxySession session)
    {
        if (session.Flow.Host == answerHost) session.Respond(LocalResponse.Text(418, "I'm a teapot", "text/plain", "from addon"), "recording-addon");
        return Note(session, "request-headers");
    }

    public override ValueTask RequestCompleteAsync(ProxySession session) => Note(session, "request-complete");
    public override ValueTask ResponseHeadersAsync(ProxySession session) => Note(session, "response-headers " + session.Flow.StatusCode);
    public override ValueTask ResponseCompleteAsync(ProxySession session) => Note(session, "response-complete");
    public override ValueTask WebSocketMessageAsync(ProxySession session, WebSocketMessage message) => Note(session, "websocket-message " + (message.FromClient ? "client" : "server"));
    public override ValueTask TlsFailureAsync(ProxySession session) => Note(session, "tls-failure " + session.Flow.Tls?.Outcome);
    public override ValueTask FlowCompleteAsync(ProxySession session) => Note(session, "flow-complete");
}
