using System.Text;
using Harness.Flows;

namespace Harness.Leaks;

/// <summary>
/// Walks every part of a flow a canary could travel in: the URL (whole, path, each query parameter), each request
/// header (cookies one by one), the request body, the response body when asked, and WebSocket messages (the server's only when responses are asked for).
/// Connection and tunnel flows have no plaintext and are left to coverage.
/// </summary>
public static class FlowViews
{
    public static void Walk(Flow flow, bool includeResponseBody, PayloadWalker walker, IPayloadVisitor visitor)
    {
        if (flow.Kind is FlowKind.Connection or FlowKind.Tunnel) return;
        if (!string.IsNullOrEmpty(flow.Url)) WalkUrl(flow.Url, walker, visitor);
        foreach (var header in flow.RequestHeaders) WalkHeader(header, walker, visitor);
        if (flow.RequestBody is { } request) WalkBody(request, "body", walker, visitor);
        if (includeResponseBody && flow.ResponseBody is { } response) WalkBody(response, "response body", walker, visitor);
        for (var i = 0; i < flow.WebSocketMessages.Count; i++)
        {
            var m = flow.WebSocketMessages[i];
            // What the server sent is a response, scanned only when response bodies are.
            if (!m.FromClient && !includeResponseBody) continue;
            walker.Walk(m.Data, DecodePath.Root($"websocket #{i} {(m.FromClient ? "client" : "server")}"), m.IsText ? "text/plain" : null, visitor);
        }
    }

    private static void WalkUrl(string url, PayloadWalker walker, IPayloadVisitor visitor)
    {
        var root = DecodePath.Root("url");
        visitor.Visit(new PayloadNode(Encoding.UTF8.GetBytes(url), root));
        var queryStart = url.IndexOf('?');
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var pathStart = schemeEnd < 0 ? 0 : url.IndexOf('/', schemeEnd + 3);
        if (pathStart >= 0 && (queryStart < 0 || pathStart < queryStart))
        {
            var path = queryStart < 0 ? url[pathStart..] : url[pathStart..queryStart];
            var fragment = path.IndexOf('#');
            if (fragment >= 0) path = path[..fragment];
            walker.Walk(Encoding.UTF8.GetBytes(path), root.Then("path", "path"), "text/x-url-path", visitor);
        }
        if (queryStart < 0) return;
        var query = url[(queryStart + 1)..];
        var hash = query.IndexOf('#');
        if (hash >= 0) query = query[..hash];
        foreach (var (name, value) in FormFieldsDecoder.Decode(Encoding.UTF8.GetBytes(query)))
            if (value.Length > 0) walker.Walk(value, root.Then("query", "query:" + name), "text/x-url-query", visitor);
    }

    private static void WalkHeader(HeaderField header, PayloadWalker walker, IPayloadVisitor visitor)
    {
        if (string.IsNullOrEmpty(header.Value)) return;
        var root = DecodePath.Root("header:" + header.Name);
        if (header.Name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
        {
            visitor.Visit(new PayloadNode(Encoding.UTF8.GetBytes(header.Value), root));
            foreach (var cookie in header.Value.Split(';'))
            {
                var eq = cookie.IndexOf('=');
                if (eq <= 0) continue;
                walker.Walk(Encoding.UTF8.GetBytes(cookie[(eq + 1)..].Trim()), root.Then("cookie", "cookie:" + cookie[..eq].Trim()), "text/x-cookie", visitor);
            }
            return;
        }
        walker.Walk(Encoding.UTF8.GetBytes(header.Value), root, "text/x-header", visitor);
    }

    private static void WalkBody(FlowBody body, string view, PayloadWalker walker, IPayloadVisitor visitor)
    {
        var root = DecodePath.Root(view);
        ReadOnlyMemory<byte> content = body.Content;
        RentedBytes? rented = null;
        if (body.Decoded is null && body.ContentEncoding is { } encoding && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            var cap = walker.Limits.MaxDecodedBytesPerStep;
            var normalized = encoding.Trim().ToLowerInvariant();
            // The common encodings decode into a pooled buffer, returned once the body has been walked.
            CompressionDecoder.Format? format = normalized switch
            {
                "gzip" or "x-gzip" => CompressionDecoder.Format.Gzip,
                "deflate" => CompressionDecoder.IsZlib(body.Raw) ? CompressionDecoder.Format.Zlib : CompressionDecoder.Format.RawDeflate,
                "zstd" => CompressionDecoder.Format.Zstd,
                _ => null,
            };
            ReadOnlyMemory<byte>? decoded = null;
            if (format is { } f)
            {
                rented = CompressionDecoder.Rented(f, body.Raw, cap, out _);
                if (rented is { } r) decoded = r.Memory;
            }
            else if (CompressionDecoder.ContentEncoding(encoding, body.Raw, cap) is { } array) decoded = array;
            if (decoded is { } d)
            {
                var name = normalized switch { "x-gzip" => "gzip", "br" => "brotli", var e => e };
                root = root.Then(name, "content-encoding:" + name);
                content = d;
            }
        }
        try
        {
            if (content.IsEmpty) return;
            walker.Walk(content, root, body.ContentType, visitor);
        }
        finally
        {
            rented?.Return();
        }
    }
}
