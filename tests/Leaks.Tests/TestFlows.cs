using System.Text;
using Harness.Flows;

namespace Harness.Leaks.Tests;

/// <summary>Builds flows the way the proxy records them.</summary>
internal static class TestFlows
{
    public static Flow Post(string url, byte[] body, string? contentType = "application/x-www-form-urlencoded", string? session = null, params HeaderField[] headers)
    {
        var uri = new Uri(url);
        var flow = new Flow
        {
            Id = "f" + Guid.NewGuid().ToString("N")[..8],
            Host = uri.Host,
            Port = uri.Port,
            Scheme = uri.Scheme,
            Method = "POST",
            Url = url,
            RequestHeaders = [.. headers],
            RequestBody = new FlowBody { Raw = body, Size = body.Length, ContentType = contentType },
            StatusCode = 200,
            Tls = uri.Scheme == "https" ? new TlsInfo { Sni = uri.Host, Outcome = TlsOutcome.Intercepted } : null,
        };
        if (session is not null) flow.Tags["session"] = session;
        return flow;
    }

    public static Flow Post(string url, string body, string? contentType = "application/x-www-form-urlencoded", string? session = null) =>
        Post(url, Encoding.UTF8.GetBytes(body), contentType, session);

    public static Flow Get(string url, params HeaderField[] headers)
    {
        var flow = Post(url, [], null, null, headers);
        flow.Method = "GET";
        flow.RequestBody = null;
        return flow;
    }
}
