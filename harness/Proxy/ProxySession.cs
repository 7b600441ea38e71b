using Harness.Flows;

namespace Harness.Proxy;

/// <summary>
/// What event handlers get (Titanium's SessionEventArgs): the flow so far, and the power to answer locally.
/// In BeforeRequest the request head is known and the body has not been read yet.
/// </summary>
public sealed class ProxySession(Flow flow)
{
    public Flow Flow { get; } = flow;

    /// <summary>Set by <see cref="Respond"/>; the proxy then answers with it instead of the upstream.</summary>
    public LocalResponse? LocalResponse { get; private set; }

    public void Respond(LocalResponse response) => LocalResponse = response;

    public void Respond(int statusCode, string contentType, string body) =>
        LocalResponse = LocalResponse.Text(statusCode, statusCode == 200 ? "OK" : "Response", contentType, body);
}
