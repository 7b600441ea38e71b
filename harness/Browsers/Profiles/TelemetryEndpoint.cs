namespace Harness.Browsers;

/// <summary>
/// Where a browser's telemetry uploads go, as a profile names it: <c>host/path</c> (e.g. <c>sa.api.intl.miui.com/sa</c>).
/// A request matches when its host is the host (case-insensitive) and its path is the path or below it; the query is
/// not looked at (the Sensors upload carries project and region there).
/// </summary>
public sealed record TelemetryEndpoint(string Host, string Path)
{
    /// <summary>"host/path" or "host" (any path); null when the text is not of that shape.</summary>
    public static TelemetryEndpoint? TryParse(string text)
    {
        text = text.Trim();
        if (text.Length == 0 || text.Contains("://", StringComparison.Ordinal) || text.Contains('?') || text.Contains(' ')) return null;
        var slash = text.IndexOf('/');
        var host = slash < 0 ? text : text[..slash];
        var path = slash < 0 ? "/" : text[slash..];
        if (host.Length == 0 || Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4)) return null;
        return new TelemetryEndpoint(host.ToLowerInvariant(), path.Length > 1 ? path.TrimEnd('/') : path);
    }

    /// <summary>True when a request to <paramref name="host"/> for <paramref name="url"/> (absolute or origin-form) is an upload to this endpoint.</summary>
    public bool Matches(string host, string? url)
    {
        if (!string.Equals(host, Host, StringComparison.OrdinalIgnoreCase)) return false;
        if (Path == "/") return true;
        var path = PathOf(url);
        return path == Path || path.StartsWith(Path + "/", StringComparison.Ordinal);
    }

    private static string PathOf(string? url)
    {
        if (string.IsNullOrEmpty(url)) return "";
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https") return absolute.AbsolutePath;
        var end = url.IndexOfAny(['?', '#']);
        return end < 0 ? url : url[..end];
    }

    public override string ToString() => Path == "/" ? Host : Host + Path;
}
