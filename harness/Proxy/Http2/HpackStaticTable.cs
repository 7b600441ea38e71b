using Harness.Flows;

namespace Harness.Proxy.Http2;

/// <summary>The static table of RFC 7541 Appendix A (index 1 to 61).</summary>
public static class HpackStaticTable
{
    public const int Count = 61;

    /// <summary>Entry <c>i</c> is index <c>i + 1</c>.</summary>
    public static readonly HeaderField[] Entries =
    [
        new(":authority", ""),
        new(":method", "GET"),
        new(":method", "POST"),
        new(":path", "/"),
        new(":path", "/index.html"),
        new(":scheme", "http"),
        new(":scheme", "https"),
        new(":status", "200"),
        new(":status", "204"),
        new(":status", "206"),
        new(":status", "304"),
        new(":status", "400"),
        new(":status", "404"),
        new(":status", "500"),
        new("accept-charset", ""),
        new("accept-encoding", "gzip, deflate"),
        new("accept-language", ""),
        new("accept-ranges", ""),
        new("accept", ""),
        new("access-control-allow-origin", ""),
        new("age", ""),
        new("allow", ""),
        new("authorization", ""),
        new("cache-control", ""),
        new("content-disposition", ""),
        new("content-encoding", ""),
        new("content-language", ""),
        new("content-length", ""),
        new("content-location", ""),
        new("content-range", ""),
        new("content-type", ""),
        new("cookie", ""),
        new("date", ""),
        new("etag", ""),
        new("expect", ""),
        new("expires", ""),
        new("from", ""),
        new("host", ""),
        new("if-match", ""),
        new("if-modified-since", ""),
        new("if-none-match", ""),
        new("if-range", ""),
        new("if-unmodified-since", ""),
        new("last-modified", ""),
        new("link", ""),
        new("location", ""),
        new("max-forwards", ""),
        new("proxy-authenticate", ""),
        new("proxy-authorization", ""),
        new("range", ""),
        new("referer", ""),
        new("refresh", ""),
        new("retry-after", ""),
        new("server", ""),
        new("set-cookie", ""),
        new("strict-transport-security", ""),
        new("transfer-encoding", ""),
        new("user-agent", ""),
        new("vary", ""),
        new("via", ""),
        new("www-authenticate", ""),
    ];

    private static readonly Dictionary<(string, string), int> ByField = BuildFieldIndex();
    private static readonly Dictionary<string, int> ByName = BuildNameIndex();

    /// <summary>The index of an entry with this name and value, else 0.</summary>
    public static int IndexOf(string name, string value) => ByField.TryGetValue((name, value), out var i) ? i : 0;

    /// <summary>The lowest index of an entry with this name, else 0.</summary>
    public static int IndexOfName(string name) => ByName.TryGetValue(name, out var i) ? i : 0;

    private static Dictionary<(string, string), int> BuildFieldIndex()
    {
        var index = new Dictionary<(string, string), int>();
        for (var i = 0; i < Entries.Length; i++) index.TryAdd((Entries[i].Name, Entries[i].Value), i + 1);
        return index;
    }

    private static Dictionary<string, int> BuildNameIndex()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Entries.Length; i++) index.TryAdd(Entries[i].Name, i + 1);
        return index;
    }
}
