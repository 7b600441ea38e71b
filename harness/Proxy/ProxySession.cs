using Harness.Flows;

namespace Harness.Proxy;

/// <summary>
/// What addons and event handlers get (Titanium's SessionEventArgs): the flow so far, and the power to answer locally.
/// In the request-headers event the request head is known and the body has not been read yet.
/// </summary>
public sealed class ProxySession(Flow flow)
{
    /// <summary>Tag <c>answeredBy</c> for an answer set by an event handler or a library user's addon.</summary>
    public const string AnsweredByHandler = "handler";

    public Flow Flow { get; } = flow;

    /// <summary>Set by <see cref="Respond(LocalResponse)"/>; the proxy then answers with it instead of the upstream.</summary>
    public LocalResponse? LocalResponse { get; private set; }

    /// <summary>Who set <see cref="LocalResponse"/> (recorded as the flow's <c>answeredBy</c> tag).</summary>
    public string? AnsweredBy { get; private set; }

    public void Respond(LocalResponse response) => Respond(response, AnsweredByHandler);

    /// <summary>Answer locally, naming the addon that did (canary, sinkhole, or your own).</summary>
    public void Respond(LocalResponse response, string answeredBy)
    {
        LocalResponse = response;
        AnsweredBy = answeredBy;
    }

    public void Respond(int statusCode, string contentType, string body) =>
        Respond(LocalResponse.Text(statusCode, statusCode == 200 ? "OK" : "Response", contentType, body));
}
