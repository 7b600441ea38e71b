using System.Globalization;
using Harness.Flows;
using Harness.Proxy.Http2;

namespace Harness.Proxy.Http2Proxy;

/// <summary>
/// Field translation between an HTTP/2 stream and HTTP/1.1 (no I/O): h2 forbids connection-specific fields and wants
/// lower-case names; h1 needs a Host header, one Cookie line and its own body framing.
/// </summary>
internal static class Http2Translation
{
    /// <summary>Fields that mean something only to one HTTP/1.1 connection (RFC 9113 8.2.2), never sent over h2.</summary>
    private static readonly HashSet<string> ConnectionSpecific = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade",
    };

    /// <summary>Where a stream's request goes and the URL it stands for: the :authority (or Host), else the CONNECT tunnel.</summary>
    public static bool TryResolve(Http2RequestReceived request, string connectionScheme, string? tunnelHost, int tunnelPort,
        out string host, out int port, out string scheme, out string url)
    {
        scheme = request.Scheme ?? connectionScheme;
        var authority = request.Authority ?? Http2HeaderFields.Get(request.Fields, "host");
        var defaultPort = scheme == "https" ? 443 : 80;
        host = tunnelHost ?? "";
        port = tunnelPort;
        url = "";
        if (authority is null && tunnelHost is null) return false;
        if (tunnelHost is null && !Layers.Http1RequestRouting.TrySplitAuthority(authority!, defaultPort, out host, out port)) return false;
        authority ??= port == defaultPort ? host : $"{host}:{port}";
        url = $"{scheme}://{authority}{request.Path ?? "/"}";
        return true;
    }

    /// <summary>The HTTP/1.1 request head's fields for an h2 request: Host first, cookies joined, framing added.</summary>
    public static List<HeaderField> ToHttp1RequestHeaders(Http2RequestReceived request, string authority, bool hasBody)
    {
        var headers = new List<HeaderField>(request.Headers.Count + 2) { new("Host", authority) };
        var cookies = new List<string>();
        var sized = false;
        foreach (var field in request.Headers)
        {
            if (field.Name == "cookie") { cookies.Add(field.Value); continue; }
            if (field.Name == "host" || ConnectionSpecific.Contains(field.Name)) continue;
            sized |= field.Name == "content-length";
            headers.Add(field);
        }
        if (cookies.Count > 0) headers.Add(new HeaderField("cookie", string.Join("; ", cookies)));
        if (hasBody && !sized) headers.Add(new HeaderField("transfer-encoding", "chunked"));
        return headers;
    }

    /// <summary>An h2 response header block for an HTTP/1.1 (or local) status and headers.</summary>
    public static List<HeaderField> ToHttp2ResponseFields(int status, IEnumerable<HeaderField> headers)
    {
        var fields = new List<HeaderField> { new(":status", status.ToString(CultureInfo.InvariantCulture)) };
        foreach (var h in headers)
        {
            if (ConnectionSpecific.Contains(h.Name)) continue;
            fields.Add(new HeaderField(h.Name.ToLowerInvariant(), h.Value));
        }
        return fields;
    }

    /// <summary>Trailer fields for h2: lower-case, no pseudo-header or connection-specific fields.</summary>
    public static List<HeaderField> ToHttp2Trailers(IEnumerable<HeaderField> trailers) =>
        trailers.Where(t => !ConnectionSpecific.Contains(t.Name) && !t.Name.StartsWith(':')).Select(t => new HeaderField(t.Name.ToLowerInvariant(), t.Value)).ToList();
}
