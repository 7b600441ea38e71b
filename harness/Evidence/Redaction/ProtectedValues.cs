using System.Text;
using System.Text.Json.Nodes;
using Harness.Evidence.Records;

namespace Harness.Evidence.Redaction;

/// <summary>
/// Strings that must survive redaction: every canary (raw, percent-encoded, base64) and every finding excerpt.
/// Built from the case's canaries.json without assuming its schema: any string leaf long enough counts.
/// </summary>
public sealed class ProtectedValues
{
    private readonly List<string> _values = [];

    public static ProtectedValues From(byte[]? canariesJson, IEnumerable<FindingRecord> findings, int minimumLength)
    {
        var result = new ProtectedValues();
        if (canariesJson is not null)
        {
            JsonNode? root;
            try { root = JsonNode.Parse(canariesJson); }
            catch (System.Text.Json.JsonException) { root = null; }
            foreach (var leaf in StringLeaves(root).Where(s => s.Length >= minimumLength)) result.AddWithEncodings(leaf);
        }
        foreach (var excerpt in findings.Select(f => f.Excerpt).OfType<string>().Where(e => e.Length >= minimumLength))
            result._values.Add(excerpt);
        return result;
    }

    public IReadOnlyList<string> Values => _values;

    public bool AnyIn(string value) => _values.Any(p => value.Contains(p, StringComparison.Ordinal));

    private void AddWithEncodings(string canary)
    {
        _values.Add(canary);
        _values.Add(Uri.EscapeDataString(canary));
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(canary)).TrimEnd('=');
        _values.Add(base64);
        _values.Add(base64.Replace('+', '-').Replace('/', '_'));
    }

    private static IEnumerable<string> StringLeaves(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => StringLeaves(p.Value)),
        JsonArray a => a.SelectMany(StringLeaves),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };
}
