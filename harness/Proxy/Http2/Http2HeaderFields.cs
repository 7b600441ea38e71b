using Harness.Flows;

namespace Harness.Proxy.Http2;

/// <summary>Look-ups over an HTTP/2 field list, pseudo-header fields (":method") first, as received or submitted.</summary>
public static class Http2HeaderFields
{
    /// <summary>The value of the first field with exactly this (lower-case) name, else null.</summary>
    public static string? Get(IReadOnlyList<HeaderField> fields, string name)
    {
        foreach (var f in fields)
        {
            if (f.Name == name) return f.Value;
        }
        return null;
    }

    private static readonly HashSet<string> ConnectionSpecific = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "proxy-connection", "keep-alive", "transfer-encoding", "upgrade",
    };

    /// <summary>A connection-specific field, which HTTP/2 forbids (RFC 9113 8.2.2); any case.</summary>
    public static bool IsConnectionSpecific(string name) => ConnectionSpecific.Contains(name);

    /// <summary>The fields that are not pseudo-header fields, in order.</summary>
    public static IReadOnlyList<HeaderField> Regular(IReadOnlyList<HeaderField> fields)
    {
        var first = 0;
        while (first < fields.Count && fields[first].Name.StartsWith(':')) first++;
        if (first == 0) return fields;
        var regular = new HeaderField[fields.Count - first];
        for (var i = first; i < fields.Count; i++) regular[i - first] = fields[i];
        return regular;
    }
}
