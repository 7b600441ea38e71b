using System.Text;
using System.Text.Json;

namespace Harness.Flows;

/// <summary>
/// Writes flows as a HAR 1.2 log. Standard fields carry what browsers' importers read; fields prefixed with
/// <c>_</c> carry the rest of the Flow (id, TLS outcome, error, raw bodies, WebSocket messages) so that
/// <see cref="HarReader"/> gets back every field the scanner needs. Failed connections become entries with status 0.
/// </summary>
public static class HarWriter
{
    public const string CreatorName = "harness";

    public static void Write(IEnumerable<Flow> flows, Stream output, string creatorVersion = "1.0")
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteStartObject("log");
        w.WriteString("version", "1.2");
        w.WriteStartObject("creator");
        w.WriteString("name", CreatorName);
        w.WriteString("version", creatorVersion);
        w.WriteEndObject();
        w.WriteStartArray("pages");
        w.WriteEndArray();
        w.WriteStartArray("entries");
        foreach (var flow in flows) WriteEntry(w, flow);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
    }

    public static void WriteFile(IEnumerable<Flow> flows, string path)
    {
        var temp = path + ".tmp";
        using (var file = File.Create(temp)) Write(flows, file);
        File.Move(temp, path, overwrite: true);
    }

    private static void WriteEntry(Utf8JsonWriter w, Flow flow)
    {
        var t = flow.Timings;
        var start = t.Start;
        var requestDone = t.RequestDone ?? t.TlsDone ?? start;
        var responseHeadersAt = t.ResponseDone ?? requestDone;
        var end = t.ResponseDone ?? t.RequestDone ?? t.TlsDone ?? start;
        double Ms(DateTimeOffset a, DateTimeOffset b) => Math.Max(0, Math.Round((b - a).TotalMilliseconds, 3));
        var send = Ms(t.TlsDone ?? start, requestDone);
        var wait = Ms(requestDone, responseHeadersAt);
        var ssl = t.TlsDone is { } tls ? Ms(start, tls) : -1;

        w.WriteStartObject();
        w.WriteString("startedDateTime", start.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));
        w.WriteNumber("time", Ms(start, end));
        w.WriteString("_flowId", flow.Id);
        w.WriteString("_kind", flow.Kind.ToString());
        w.WriteString("_host", flow.Host);
        w.WriteNumber("_port", flow.Port);
        w.WriteString("_scheme", flow.Scheme);
        if (flow.ClientAddress is not null) w.WriteString("_clientAddress", flow.ClientAddress);
        WriteTimings(w, "_flowTimings", t);

        // request
        w.WriteStartObject("request");
        w.WriteString("method", flow.Method ?? (flow.Kind == FlowKind.Http ? "GET" : "CONNECT"));
        w.WriteString("url", flow.Url ?? $"{flow.Scheme}://{FormatAuthority(flow.Host, flow.Port)}/");
        // A connection that failed before any request has no URL or version: say so rather than invent one.
        if (flow.Url is null) w.WriteBoolean("_synthesizedUrl", true);
        w.WriteString("httpVersion", flow.HttpVersion ?? "");
        WriteCookies(w, flow.RequestHeaders, "cookie");
        WriteHeaders(w, flow.RequestHeaders);
        WriteQueryString(w, flow.Url);
        if (flow.RequestBody is { } rb)
        {
            w.WriteStartObject("postData");
            w.WriteString("mimeType", rb.ContentType ?? HeaderValue(flow.RequestHeaders, "content-type") ?? "");
            WriteText(w, rb.Raw, "text", "_encoding");
            WriteBodyExtras(w, rb);
            w.WriteEndObject();
        }
        w.WriteNumber("headersSize", -1);
        w.WriteNumber("bodySize", flow.RequestBody?.Size ?? 0);
        w.WriteEndObject();

        // response
        w.WriteStartObject("response");
        w.WriteNumber("status", flow.StatusCode ?? 0);
        w.WriteString("statusText", flow.Reason ?? "");
        w.WriteString("httpVersion", flow.StatusCode is null ? "" : flow.HttpVersion ?? "");
        WriteCookies(w, flow.ResponseHeaders, "set-cookie");
        WriteHeaders(w, flow.ResponseHeaders);
        w.WriteStartObject("content");
        var body = flow.ResponseBody;
        w.WriteNumber("size", body is null ? 0 : body.Decoded?.LongLength ?? body.Size);
        w.WriteString("mimeType", body?.ContentType ?? HeaderValue(flow.ResponseHeaders, "content-type") ?? "");
        if (body is not null)
        {
            WriteText(w, body.Content, "text", "encoding");
            WriteBodyExtras(w, body);
        }
        w.WriteEndObject();
        w.WriteString("redirectURL", HeaderValue(flow.ResponseHeaders, "location") ?? "");
        w.WriteNumber("headersSize", -1);
        w.WriteNumber("bodySize", flow.StatusCode is null ? -1 : body?.Size ?? 0);
        w.WriteEndObject();

        w.WriteStartObject("cache");
        w.WriteEndObject();
        w.WriteStartObject("timings");
        w.WriteNumber("blocked", -1);
        w.WriteNumber("dns", -1);
        w.WriteNumber("connect", -1);
        w.WriteNumber("ssl", ssl);
        w.WriteNumber("send", send);
        w.WriteNumber("wait", wait);
        w.WriteNumber("receive", 0);
        w.WriteEndObject();

        if (flow.Tls is { } tlsInfo)
        {
            w.WriteStartObject("_tls");
            if (tlsInfo.Sni is not null) w.WriteString("sni", tlsInfo.Sni);
            w.WriteString("outcome", tlsInfo.Outcome.ToString());
            if (tlsInfo.Protocol is not null) w.WriteString("protocol", tlsInfo.Protocol);
            if (tlsInfo.Alpn is not null) w.WriteString("alpn", tlsInfo.Alpn);
            if (tlsInfo.Detail is not null) w.WriteString("detail", tlsInfo.Detail);
            w.WriteEndObject();
        }
        if (flow.Error is { } error)
        {
            w.WriteStartObject("_error");
            w.WriteString("kind", error.Kind.ToString());
            w.WriteString("message", error.Message);
            w.WriteEndObject();
        }
        // DevTools files a WebSocket under "WS" and shows its Messages tab only with this type (its own export writes it).
        if (flow.Kind == FlowKind.WebSocket) w.WriteString("_resourceType", "websocket");
        if (flow.WebSocketMessages.Count > 0)
        {
            // Same shape as Chrome DevTools' HAR export so its importer shows them.
            w.WriteStartArray("_webSocketMessages");
            foreach (var m in flow.WebSocketMessages)
            {
                w.WriteStartObject();
                w.WriteString("type", m.FromClient ? "send" : "receive");
                w.WriteNumber("time", m.Time.ToUnixTimeMilliseconds() / 1000.0);
                w.WriteNumber("opcode", m.IsText ? 1 : 2);
                w.WriteString("data", m.IsText ? Encoding.UTF8.GetString(m.Data) : Convert.ToBase64String(m.Data));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (flow.Tags.Count > 0)
        {
            w.WriteStartObject("_tags");
            foreach (var (k, v) in flow.Tags) w.WriteString(k, v);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteTimings(Utf8JsonWriter w, string name, FlowTimings t)
    {
        w.WriteStartObject(name);
        w.WriteString("start", t.Start);
        if (t.TlsDone is { } a) w.WriteString("tlsDone", a);
        if (t.RequestDone is { } b) w.WriteString("requestDone", b);
        if (t.ResponseDone is { } c) w.WriteString("responseDone", c);
        w.WriteEndObject();
    }

    private static void WriteBodyExtras(Utf8JsonWriter w, FlowBody body)
    {
        w.WriteNumber("_size", body.Size);
        if (body.ContentType is not null) w.WriteString("_contentType", body.ContentType);
        if (body.ContentEncoding is not null) w.WriteString("_contentEncoding", body.ContentEncoding);
        if (body.Decoded is not null) w.WriteBase64String("_raw", body.Raw);
        w.WriteBoolean("_truncated", body.Truncated);
    }

    /// <summary>UTF-8 text as is; anything else base64 with the encoding field set.</summary>
    private static void WriteText(Utf8JsonWriter w, byte[] data, string textField, string encodingField)
    {
        if (IsUtf8Text(data))
        {
            w.WriteString(textField, Encoding.UTF8.GetString(data));
        }
        else
        {
            w.WriteBase64String(textField, data);
            w.WriteString(encodingField, "base64");
        }
    }

    internal static bool IsUtf8Text(byte[] data)
    {
        if (!System.Text.Unicode.Utf8.IsValid(data)) return false;
        foreach (var b in data)
        {
            if (b < 0x20 && b is not (9 or 10 or 13)) return false;
        }
        return true;
    }

    private static void WriteHeaders(Utf8JsonWriter w, List<HeaderField> headers)
    {
        w.WriteStartArray("headers");
        foreach (var h in headers)
        {
            w.WriteStartObject();
            w.WriteString("name", h.Name);
            w.WriteString("value", h.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteCookies(Utf8JsonWriter w, List<HeaderField> headers, string headerName)
    {
        w.WriteStartArray("cookies");
        foreach (var h in headers.Where(h => h.Name.Equals(headerName, StringComparison.OrdinalIgnoreCase)))
        {
            var pairs = headerName == "cookie" ? h.Value.Split(';') : [h.Value.Split(';')[0]];
            foreach (var pair in pairs)
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0) continue;
                w.WriteStartObject();
                w.WriteString("name", pair[..eq].Trim());
                w.WriteString("value", pair[(eq + 1)..].Trim());
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
    }

    private static void WriteQueryString(Utf8JsonWriter w, string? url)
    {
        w.WriteStartArray("queryString");
        var q = url?.IndexOf('?') ?? -1;
        if (url is not null && q >= 0)
        {
            var query = url[(q + 1)..];
            var hash = query.IndexOf('#');
            if (hash >= 0) query = query[..hash];
            foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=');
                w.WriteStartObject();
                w.WriteString("name", Unescape(eq < 0 ? part : part[..eq]));
                w.WriteString("value", eq < 0 ? "" : Unescape(part[(eq + 1)..]));
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
    }

    private static string Unescape(string s)
    {
        try { return Uri.UnescapeDataString(s.Replace('+', ' ')); }
        catch (UriFormatException) { return s; }
    }

    private static string? HeaderValue(List<HeaderField> headers, string name) =>
        headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    private static string FormatAuthority(string host, int port) =>
        (host.Contains(':') ? $"[{host}]" : host) + (port > 0 ? $":{port}" : "");
}
