using Harness.Flows;

namespace Harness.Proxy.Http2;

/// <summary>
/// Moves a message head between HTTP/1.1 and HTTP/2 field lists (RFC 9113 8.2.2, 8.3.1, 8.2.3): the request line and
/// Host become pseudo-header fields and back, connection-specific fields (and those the Connection header names) are
/// dropped, names are lower-cased, split cookie fields are joined. Proxy policy (which end-to-end fields to strip)
/// stays with the caller.
/// </summary>
public static class Http2HeaderTranslation
{
    /// <summary>An HTTP/1.1 request head as HTTP/2 fields; <paramref name="authority"/> defaults to the Host header.</summary>
    /// <param name="path">The origin-form target ("/a?b"); for CONNECT, null (the authority is the target).</param>
    public static List<HeaderField> ToHttp2Request(string method, string scheme, string? authority, string? path, IReadOnlyList<HeaderField> http1Headers)
    {
        authority ??= http1Headers.FirstOrDefault(h => h.Name.Equals("host", StringComparison.OrdinalIgnoreCase))?.Value;
        var fields = new List<HeaderField> { new(":method", method) };
        if (method != "CONNECT")
        {
            fields.Add(new(":scheme", scheme));
            if (authority is not null) fields.Add(new(":authority", authority));
            fields.Add(new(":path", string.IsNullOrEmpty(path) ? "/" : path));
        }
        else if (authority is not null)
        {
            fields.Add(new(":authority", authority));
        }
        AddRegular(fields, http1Headers);
        return fields;
    }

    /// <summary>An HTTP/1.1 response head as HTTP/2 fields.</summary>
    public static List<HeaderField> ToHttp2Response(int statusCode, IReadOnlyList<HeaderField> http1Headers)
    {
        var fields = new List<HeaderField> { new(":status", statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        AddRegular(fields, http1Headers);
        return fields;
    }

    /// <summary>
    /// The regular fields of an HTTP/2 message as HTTP/1.1 headers: Host from :authority first (for requests), the
    /// cookie crumbs joined into one field with "; " (8.2.3), everything else in order.
    /// </summary>
    public static List<HeaderField> ToHttp1Headers(IReadOnlyList<HeaderField> http2Fields)
    {
        var headers = new List<HeaderField>(http2Fields.Count);
        var authority = Http2HeaderFields.Get(http2Fields, ":authority");
        if (authority is not null && Http2HeaderFields.Get(http2Fields, "host") is null) headers.Add(new("host", authority));
        var cookies = new List<string>();
        var cookieIndex = -1;
        foreach (var f in http2Fields)
        {
            if (f.Name.StartsWith(':')) continue;
            if (f.Name == "cookie")
            {
                if (cookieIndex < 0)
                {
                    cookieIndex = headers.Count;
                    headers.Add(f);
                }
                cookies.Add(f.Value);
                continue;
            }
            headers.Add(f);
        }
        if (cookies.Count > 1) headers[cookieIndex] = new HeaderField("cookie", string.Join("; ", cookies));
        return headers;
    }

    private static void AddRegular(List<HeaderField> fields, IReadOnlyList<HeaderField> http1Headers)
    {
        // Fields the Connection header names are hop-by-hop too (RFC 9110 7.6.1).
        var named = http1Headers.Where(h => h.Name.Equals("connection", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var h in http1Headers)
        {
            // Host moved into :authority.
            if (Http2HeaderFields.IsConnectionSpecific(h.Name) || h.Name.Equals("host", StringComparison.OrdinalIgnoreCase) || named.Contains(h.Name)) continue;
            var field = HpackEncoder.ToLowerName(h);
            // te is allowed only as "trailers" (8.2.2).
            if (field.Name == "te")
            {
                if (field.Value.Split(',').Any(t => t.Trim().Equals("trailers", StringComparison.OrdinalIgnoreCase))) fields.Add(new("te", "trailers"));
                continue;
            }
            fields.Add(field);
        }
    }
}
