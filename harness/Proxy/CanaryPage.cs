using System.Net;

namespace Harness.Proxy;

/// <summary>The page a canary origin serves: its title and the URL, so a run can see which canary was loaded.</summary>
public static class CanaryPage
{
    public static LocalResponse For(string host, string url)
    {
        var h = WebUtility.HtmlEncode(host);
        var u = WebUtility.HtmlEncode(url);
        var html = $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Canary {h}</title></head>\n<body><h1>Canary {h}</h1><p id=\"url\">{u}</p></body></html>\n";
        return LocalResponse.Text(200, "OK", "text/html; charset=utf-8", html);
    }
}
