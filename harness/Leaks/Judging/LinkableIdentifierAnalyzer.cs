using System.Text;
using System.Text.RegularExpressions;
using Harness.Flows;

namespace Harness.Leaks;

/// <summary>
/// Finds identifiers that let the vendor link sessions: candidate ids (UUIDs, long hex, values of known id fields,
/// also inside decoded payloads such as Sensors' data_list) seen in vendor-bound flows of two or more sessions.
/// Per-event ids (<c>_track_id</c>) are excluded: they never recur and would only add noise.
/// </summary>
public sealed partial class LinkableIdentifierAnalyzer(ScanLimits limits)
{
    public static readonly IReadOnlySet<string> KnownIdFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "uuid", "distinct_id", "$device_id", "device_id", "deviceid", "android_id", "androidid", "oaid", "gaid", "aaid", "vaid", "udid",
        "imei", "imeimd5", "user_id", "userid", "anonymous_id", "$anonymous_id", "login_id", "install_id", "client_id", "cid", "mi_id", "xiaomi_id",
    };

    public static readonly IReadOnlySet<string> ExcludedFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "_track_id", "time", "_flush_time", "event", "type", "$lib", "$lib_version", "$app_version", "$os", "$os_version",
    };

    public IReadOnlyList<LinkableIdentifier> Analyze(IReadOnlyList<Flow> flows, DestinationClassifier destinations, string sessionTag)
    {
        var walker = new PayloadWalker(limits);
        var seen = new Dictionary<string, Occurrences>(StringComparer.Ordinal);
        foreach (var flow in flows)
        {
            if (!flow.Tags.TryGetValue(sessionTag, out var session) || destinations.Classify(flow) != DestinationClass.Vendor) continue;
            var collector = new Collector();
            FlowViews.Walk(flow, includeResponseBody: false, walker, collector);
            foreach (var (value, field, location) in collector.Candidates)
            {
                if (!seen.TryGetValue(value, out var o)) seen[value] = o = new Occurrences(field);
                if (o.Field.StartsWith('(') && !field.StartsWith('(')) o.Field = field;
                o.Sessions.Add(session);
                o.FlowIds.Add(flow.Id);
                if (o.Locations.Count < 10) o.Locations.Add(location);
            }
        }
        return seen.Where(kv => kv.Value.Sessions.Count >= 2)
            .Select(kv => new LinkableIdentifier(kv.Key, kv.Value.Field, kv.Value.Sessions.Order(StringComparer.Ordinal).ToList(), kv.Value.FlowIds.ToList(), kv.Value.Locations.ToList()))
            .OrderBy(l => l.Field.StartsWith('(')).ThenBy(l => l.Field, StringComparer.Ordinal).ToList();
    }

    /// <summary>The field a payload sits in: the last JSON key, form/query/cookie name, or null.</summary>
    internal static string? FieldOf(DecodePath path)
    {
        var label = path.Step?.Label ?? path.View;
        if (label.StartsWith("json ", StringComparison.Ordinal))
        {
            if (label.EndsWith(" (key)", StringComparison.Ordinal)) return null;
            var jsonPath = label[5..].TrimEnd(']');
            var cut = Math.Max(jsonPath.LastIndexOf('.'), jsonPath.LastIndexOf('['));
            var name = cut < 0 ? jsonPath : jsonPath[(cut + 1)..];
            return name.Trim('\'');
        }
        var colon = label.IndexOf(':');
        return colon > 0 && label[..colon] is "form" or "query" or "cookie" or "multipart" ? label[(colon + 1)..] : null;
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?<![0-9a-zA-Z])[0-9a-fA-F]{16,64}(?![0-9a-zA-Z])")]
    private static partial Regex CandidatePattern();

    private sealed class Occurrences(string field)
    {
        public string Field { get; set; } = field;
        public HashSet<string> Sessions { get; } = new(StringComparer.Ordinal);
        public HashSet<string> FlowIds { get; } = new(StringComparer.Ordinal);
        public List<string> Locations { get; } = [];
    }

    private sealed class Collector : IPayloadVisitor
    {
        public List<(string Value, string Field, string Location)> Candidates { get; } = [];

        public bool WantsEveryJsonValue => true;

        public int MinInterestingLength => 6;

        public bool Visit(PayloadNode node)
        {
            var span = node.Data.Span;
            if (span.Length > 1024 * 1024 || !PayloadWalker.LooksText(span)) return false;
            var field = FieldOf(node.Path);
            if (field is not null && ExcludedFields.Contains(field)) return false;
            var text = Encoding.UTF8.GetString(span);
            if (field is not null && KnownIdFields.Contains(field))
            {
                var value = text.Trim();
                if (value.Length >= 6 && value.Distinct().Count() > 2 && value is not ("null" or "unknown" or "undefined"))
                {
                    Candidates.Add((value, field, node.Path.Location));
                    return true;
                }
            }
            foreach (Match m in CandidatePattern().Matches(text))
            {
                if (m.Value.Distinct().Count() <= 2) continue;
                Candidates.Add((m.Value.ToLowerInvariant(), m.Value.Contains('-') ? "(uuid)" : "(hex)", node.Path.Location));
            }
            return false;
        }
    }
}
