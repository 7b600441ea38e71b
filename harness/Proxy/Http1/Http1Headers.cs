using Harness.Flows;

namespace Harness.Proxy.Http1;

/// <summary>Case-insensitive look-ups over wire-order header lists.</summary>
public static class Http1Headers
{
    public static string? Get(IReadOnlyList<HeaderField> headers, string name)
    {
        foreach (var h in headers)
        {
            if (h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return h.Value;
        }
        return null;
    }

    public static IEnumerable<string> GetAll(IReadOnlyList<HeaderField> headers, string name) =>
        headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    /// <summary>True when a comma-separated header (Connection, Transfer-Encoding) lists the token.</summary>
    public static bool HasToken(IReadOnlyList<HeaderField> headers, string name, string token) =>
        GetAll(headers, name).SelectMany(v => v.Split(',')).Any(t => t.Trim().Equals(token, StringComparison.OrdinalIgnoreCase));
}
