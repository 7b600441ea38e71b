using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Harness.Flows;
using Harness.Proxy.Http1;

namespace Harness.Proxy.Layers;

/// <summary>
/// Decisions about an HTTP/1.1 request that need no I/O: where it goes and the URL it stands for, whether the client
/// keeps the connection, which headers go on to the origin, whether it asks for a WebSocket.
/// </summary>
internal static class Http1RequestRouting
{
    public static bool ClientWantsKeepAlive(Http1RequestHead head) =>
        head.Version == "HTTP/1.1"
            ? !Http1Headers.HasToken(head.Headers, "connection", "close")
            : Http1Headers.HasToken(head.Headers, "connection", "keep-alive");

    /// <summary>Resolve where a request goes: absolute-form in plain proxying, Host header (or the tunnel) otherwise.</summary>
    public static bool TryResolveTarget(Http1RequestHead head, string scheme, string? tunnelHost, int tunnelPort,
        out string host, out int port, out string urlScheme, out string originTarget, out string url)
    {
        host = tunnelHost ?? "";
        port = tunnelPort;
        urlScheme = scheme;
        originTarget = head.Target;
        url = "";
        var target = head.Target;
        if (tunnelHost is null && (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            var schemeEnd = target.IndexOf("://", StringComparison.Ordinal);
            urlScheme = target[..schemeEnd].ToLowerInvariant();
            var rest = target[(schemeEnd + 3)..];
            var slash = rest.IndexOfAny(['/', '?']);
            var authority = slash < 0 ? rest : rest[..slash];
            originTarget = slash < 0 ? "/" : rest[slash..];
            if (originTarget.StartsWith('?')) originTarget = "/" + originTarget;
            if (!TrySplitAuthority(authority, urlScheme == "https" ? 443 : 80, out host, out port)) return false;
            url = $"{urlScheme}://{authority}{originTarget}";
            return true;
        }
        if (!target.StartsWith('/') && target != "*") return false;
        var hostHeader = Http1Headers.Get(head.Headers, "host");
        var defaultPort = scheme == "https" ? 443 : 80;
        if (tunnelHost is null)
        {
            if (hostHeader is null || !TrySplitAuthority(hostHeader, defaultPort, out host, out port)) return false;
            url = $"{scheme}://{hostHeader}{target}";
            return true;
        }
        // Inside a tunnel the connection goes where CONNECT said; the URL shows the Host header the client sent.
        var urlAuthority = hostHeader ?? (port == defaultPort ? FormatHost(tunnelHost) : $"{FormatHost(tunnelHost)}:{port}");
        url = $"{scheme}://{urlAuthority}{target}";
        return true;
    }

    private static string FormatHost(string host) => host.Contains(':') ? $"[{host}]" : host;

    public static bool TrySplitAuthority(string authority, int defaultPort, out string host, out int port)
    {
        host = authority;
        port = defaultPort;
        if (authority.Length == 0) return false;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0) return false;
            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length == 0) return true;
            return after.StartsWith(':') && int.TryParse(after[1..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;
        }
        var colon = authority.LastIndexOf(':');
        if (colon < 0) return true;
        host = authority[..colon];
        return host.Length > 0 && int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;
    }

    private static readonly HashSet<string> HopByHopToUpstream = new(StringComparer.OrdinalIgnoreCase) { "proxy-connection", "proxy-authorization", "keep-alive" };
    public static bool IsWebSocketRequest(Http1RequestHead head) =>
        string.Equals(Http1Headers.Get(head.Headers, "upgrade"), "websocket", StringComparison.OrdinalIgnoreCase) &&
        Http1Headers.Get(head.Headers, "sec-websocket-key") is not null;

    public static string WebSocketAccept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    /// <summary>The request's headers as they go to the origin: proxy-only fields dropped, and Expect when we answered 100 ourselves.</summary>
    public static List<HeaderField> UpstreamHeaders(Http1RequestHead head)
    {
        // A loop, not LINQ: this runs once per request on the keep-alive path.
        var headers = head.Headers;
        var kept = new List<HeaderField>(headers.Count);
        for (var i = 0; i < headers.Count; i++)
        {
            var h = headers[i];
            if (HopByHopToUpstream.Contains(h.Name)) continue;
            if (head.ExpectContinue && h.Name.Equals("expect", StringComparison.OrdinalIgnoreCase)) continue;
            kept.Add(h);
        }
        return kept;
    }
}
