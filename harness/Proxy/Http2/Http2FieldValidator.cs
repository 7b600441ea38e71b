using Harness.Flows;

namespace Harness.Proxy.Http2;

/// <summary>
/// The rules of RFC 9113 8.2–8.3 (and RFC 8441 4) for a received field list. A violation makes the message malformed:
/// a stream error of type PROTOCOL_ERROR.
/// </summary>
internal static class Http2FieldValidator
{
    /// <returns>Null when valid, else what is wrong.</returns>
    public static string? CheckRequest(IReadOnlyList<HeaderField> fields, bool connectProtocolEnabled)
    {
        string? method = null, scheme = null, path = null, authority = null, protocol = null;
        var error = CheckFields(fields, name => name switch
        {
            ":method" or ":scheme" or ":path" or ":authority" or ":protocol" => true,
            _ => false,
        });
        if (error is not null) return error;
        foreach (var f in fields)
        {
            if (!f.Name.StartsWith(':')) break;
            switch (f.Name)
            {
                case ":method": if (method is not null) return "duplicate :method"; method = f.Value; break;
                case ":scheme": if (scheme is not null) return "duplicate :scheme"; scheme = f.Value; break;
                case ":path": if (path is not null) return "duplicate :path"; path = f.Value; break;
                case ":authority": if (authority is not null) return "duplicate :authority"; authority = f.Value; break;
                case ":protocol": if (protocol is not null) return "duplicate :protocol"; protocol = f.Value; break;
            }
        }
        if (string.IsNullOrEmpty(method)) return "no :method";
        // 8.3.1: a Host that names another entity than :authority makes the target ambiguous; a proxy must not guess.
        if (authority is not null && Http2HeaderFields.Get(fields, "host") is { } host && !host.Equals(authority, StringComparison.OrdinalIgnoreCase))
            return $"host {host} differs from :authority {authority}";
        if (protocol is not null)
        {
            if (!connectProtocolEnabled) return ":protocol without SETTINGS_ENABLE_CONNECT_PROTOCOL";
            if (method != "CONNECT") return ":protocol on a " + method;
            if (string.IsNullOrEmpty(scheme) || string.IsNullOrEmpty(path) || string.IsNullOrEmpty(authority)) return "extended CONNECT without :scheme, :path and :authority";
            return null;
        }
        if (method == "CONNECT")
        {
            if (string.IsNullOrEmpty(authority)) return "CONNECT without :authority";
            if (scheme is not null || path is not null) return "CONNECT with :scheme or :path";
            return null;
        }
        if (string.IsNullOrEmpty(scheme)) return "no :scheme";
        if (string.IsNullOrEmpty(path)) return "no :path";
        return null;
    }

    public static string? CheckResponse(IReadOnlyList<HeaderField> fields)
    {
        var error = CheckFields(fields, name => name == ":status");
        if (error is not null) return error;
        var statuses = fields.Count(f => f.Name == ":status");
        if (statuses != 1) return statuses == 0 ? "no :status" : "duplicate :status";
        var status = Http2HeaderFields.Get(fields, ":status")!;
        if (status.Length != 3 || !status.All(char.IsAsciiDigit)) return $":status {status}";
        return null;
    }

    public static string? CheckTrailers(IReadOnlyList<HeaderField> fields) => CheckFields(fields, _ => false);

    /// <summary>The content-length of a message (null when absent); throws nothing, returns -1 when invalid.</summary>
    public static long? ContentLength(IReadOnlyList<HeaderField> fields)
    {
        long? length = null;
        foreach (var f in fields)
        {
            if (f.Name != "content-length") continue;
            if (!long.TryParse(f.Value, System.Globalization.NumberStyles.None, null, out var value)) return -1;
            if (length is not null && length != value) return -1;
            length = value;
        }
        return length;
    }

    private static string? CheckFields(IReadOnlyList<HeaderField> fields, Func<string, bool> pseudoAllowed)
    {
        var regularSeen = false;
        foreach (var f in fields)
        {
            if (f.Name.Length == 0) return "empty field name";
            if (f.Name[0] == ':')
            {
                if (regularSeen) return $"pseudo-header {f.Name} after a regular field";
                if (!pseudoAllowed(f.Name)) return $"pseudo-header {f.Name} not allowed here";
            }
            else
            {
                regularSeen = true;
                if (Http2HeaderFields.IsConnectionSpecific(f.Name)) return $"connection-specific field {f.Name}";
                if (f.Name == "te" && f.Value != "trailers") return $"te: {f.Value}";
            }
            for (var i = f.Name[0] == ':' ? 1 : 0; i < f.Name.Length; i++)
            {
                var c = f.Name[i];
                if (c is >= 'A' and <= 'Z' || c <= ' ' || c == ':' || c >= 0x7f) return $"invalid field name {f.Name}";
            }
            foreach (var c in f.Value)
            {
                if (c is '\0' or '\r' or '\n') return $"invalid value of {f.Name}";
            }
        }
        return null;
    }
}
