using Harness.Flows;

namespace Harness.Proxy.Http1;

/// <summary>Case-insensitive look-ups over wire-order header lists.</summary>
public static class Http1Headers
{
    // Indexed loops, not foreach or LINQ: these run several times per request on the keep-alive path, and an interface
    // enumerator or a closure is an allocation each time.
    public static string? Get(IReadOnlyList<HeaderField> headers, string name)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            var h = headers[i];
            if (h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return h.Value;
        }
        return null;
    }

    public static IEnumerable<string> GetAll(IReadOnlyList<HeaderField> headers, string name) =>
        headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public static int Count(IReadOnlyList<HeaderField> headers, string name)
    {
        var count = 0;
        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i].Name.Equals(name, StringComparison.OrdinalIgnoreCase)) count++;
        }
        return count;
    }

    /// <summary>True when a comma-separated header (Connection, Transfer-Encoding) lists the token.</summary>
    public static bool HasToken(IReadOnlyList<HeaderField> headers, string name, string token)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            var h = headers[i];
            if (!h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
            var rest = h.Value.AsSpan();
            while (true)
            {
                var comma = rest.IndexOf(',');
                if ((comma < 0 ? rest : rest[..comma]).Trim().Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
                if (comma < 0) break;
                rest = rest[(comma + 1)..];
            }
        }
        return false;
    }
}
