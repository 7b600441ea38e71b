using System.Net;
using System.Text.Json;

namespace Harness.VirtualDevice.Network.Internet;

/// <summary>
/// Decides what the local origins answer (no I/O). Built-in: connectivity checks, search engines with
/// suggestions, Sensors Analytics, MiStat, an update check, and a small titled HTML page for any other URL.
/// Tests and the rack can add pages or whole hosts.
/// </summary>
public sealed class VirtualOriginRouter
{
    private readonly Dictionary<string, Func<VirtualInternetRequest, VirtualOriginResponse?>> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _pageTitles = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Serves <paramref name="host"/> with <paramref name="handler"/>; a null answer falls back to the built-ins.</summary>
    public VirtualOriginRouter MapHost(string host, Func<VirtualInternetRequest, VirtualOriginResponse?> handler)
    {
        lock (_hosts)
        {
            _hosts[host] = handler;
        }

        return this;
    }

    /// <summary>Gives the page at host + path a specific title.</summary>
    public VirtualOriginRouter AddPage(string host, string path, string title)
    {
        lock (_pageTitles)
        {
            _pageTitles[host + path] = title;
        }

        return this;
    }

    public VirtualOriginResponse Route(VirtualInternetRequest request)
    {
        Func<VirtualInternetRequest, VirtualOriginResponse?>? custom;
        lock (_hosts)
        {
            _hosts.TryGetValue(request.Host, out custom);
        }

        if (custom?.Invoke(request) is { } answered)
        {
            return answered;
        }

        var host = request.Host.ToLowerInvariant();
        var path = request.Path;
        if (path.EndsWith("/generate_204", StringComparison.Ordinal))
        {
            return VirtualOriginResponse.NoContent();
        }

        if (path == "/sa" && (host == VirtualInternetHosts.SensorsAnalytics || request.QueryValue("project") is not null))
        {
            return VirtualOriginResponse.Json("{\"code\":0}");
        }

        if (host == VirtualInternetHosts.SensorsAnalytics && path.StartsWith("/config/", StringComparison.Ordinal))
        {
            return VirtualOriginResponse.Json(
                "{\"v\":\"1\",\"configs\":{\"disableDebugMode\":true,\"disableSDK\":false,\"autoTrackMode\":-1,\"event_blacklist\":[],\"nv\":\"1\"}}");
        }

        if (host.StartsWith("data.mistat.", StringComparison.Ordinal) && host.EndsWith(".xiaomi.com", StringComparison.Ordinal))
        {
            return VirtualOriginResponse.Json("{\"code\":0,\"msg\":\"ok\"}");
        }

        if (host == VirtualInternetHosts.UpdateCheck)
        {
            return VirtualOriginResponse.Json("{\"code\":0,\"data\":{\"hasUpdate\":false}}");
        }

        if (IsGoogle(host))
        {
            if (path == "/complete/search")
            {
                var q = request.QueryValue("q") ?? string.Empty;
                var suggestions = new object[] { q, new[] { q + " news", q + " weather", q + " meaning" }, new[] { "", "", "" }, Array.Empty<string>(), new Dictionary<string, object> { ["google:suggesttype"] = new[] { "QUERY", "QUERY", "QUERY" } } };
                return VirtualOriginResponse.Json(JsonSerializer.Serialize(suggestions));
            }

            if (path == "/search")
            {
                var q = request.QueryValue("q") ?? string.Empty;
                return Page($"{q} - Google Search", $"<p>Results for {WebUtility.HtmlEncode(q)}</p>");
            }
        }

        if (host is "www.baidu.com" or "baidu.com" or "suggestion.baidu.com")
        {
            var word = request.QueryValue("wd") ?? string.Empty;
            if (path == "/su") return VirtualOriginResponse.Json(JsonSerializer.Serialize(new object[] { word, new[] { word + " 新闻", word + " 天气" } }));
            if (path == "/s") return Page($"{word}_百度搜索", $"<p>Results for {WebUtility.HtmlEncode(word)}</p>");
        }

        if (host is "duckduckgo.com" or "www.duckduckgo.com" or "html.duckduckgo.com")
        {
            if (path is "/ac/" or "/ac")
            {
                var prefix = request.QueryValue("q") ?? string.Empty;
                var phrases = new[] { prefix + " news", prefix + " weather" }.Select(p => new Dictionary<string, string> { ["phrase"] = p });
                return VirtualOriginResponse.Json(JsonSerializer.Serialize(phrases));
            }

            if (request.QueryValue("q") is { } q)
            {
                return Page($"{q} at DuckDuckGo", $"<p>Results for {WebUtility.HtmlEncode(q)}</p>");
            }
        }

        if (request.Method is "GET" or "HEAD")
        {
            string? title;
            lock (_pageTitles)
            {
                _pageTitles.TryGetValue(host + path, out title);
            }

            return Page(title ?? host + path, $"<p>{WebUtility.HtmlEncode(host + request.Target)}</p>");
        }

        return VirtualOriginResponse.Json("{\"code\":0}");
    }

    private static bool IsGoogle(string host) =>
        host is "google.com" or "www.google.com" || host.StartsWith("www.google.", StringComparison.Ordinal);

    private static VirtualOriginResponse Page(string title, string content) =>
        VirtualOriginResponse.Html(
            $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head><body><h1>{WebUtility.HtmlEncode(title)}</h1>{content}</body></html>");
}
