using System.Text;
using Harness.Flows;

namespace Harness.Leaks;

/// <summary>
/// Reports values read from the phone (model, serial, android_id, build fingerprint, IMEI), and their hashed forms
/// (<see cref="DeviceIdentifierForms"/>), found in flows to the vendor or a third party, with the same decoders and the
/// same multi-pattern search as canaries.
/// </summary>
public sealed class DeviceMetadataMatcher
{
    /// <summary>Shorter values (e.g. a model "A1") would match by chance.</summary>
    public const int MinValueLength = 4;

    private readonly List<(string Name, string Value)> _values;
    private readonly AhoCorasickMatcher? _matcher;
    private readonly ScanLimits _limits;

    public DeviceMetadataMatcher(IReadOnlyDictionary<string, string> values, ScanLimits? limits = null)
    {
        _limits = limits ?? ScanLimits.Default;
        _values = values.Where(kv => kv.Value is { Length: >= MinValueLength })
            .SelectMany(kv => DeviceIdentifierForms.Of(kv.Key, kv.Value.Trim())).DistinctBy(v => v.Form, StringComparer.Ordinal).ToList();
        if (_values.Count > 0) _matcher = new AhoCorasickMatcher(_values.Select(v => Encoding.UTF8.GetBytes(v.Value)).ToList());
    }

    public IReadOnlyList<DeviceMetadataFinding> Match(IReadOnlyList<Flow> flows, DestinationClassifier destinations)
    {
        var results = new List<DeviceMetadataFinding>();
        if (_matcher is null) return results;
        var walker = new PayloadWalker(_limits);
        foreach (var flow in flows)
        {
            // Apps hand device identifiers to ad and analytics SDKs of third parties as readily as to the vendor.
            if (destinations.Classify(flow) == DestinationClass.Intended) continue;
            var collector = new Collector(_matcher);
            FlowViews.Walk(flow, includeResponseBody: false, walker, collector);
            var hits = collector.Hits.GroupBy(h => (h.Path, h.Pattern)).Select(g => g.First()).ToList();
            foreach (var h in hits)
            {
                if (hits.Any(o => o.Pattern == h.Pattern && h.Path.IsAncestorOf(o.Path))) continue;
                var (name, value) = _values[h.Pattern];
                results.Add(new DeviceMetadataFinding(name, value, flow.Id, flow.Host, h.Path.Location, h.Path.Chain, h.Excerpt));
            }
        }
        return results;
    }

    private sealed class Collector(AhoCorasickMatcher matcher) : IPayloadVisitor
    {
        private readonly List<PatternHit> _scratch = [];

        public List<(int Pattern, DecodePath Path, string Excerpt)> Hits { get; } = [];

        public bool WantsEveryJsonValue => true;

        public int MinInterestingLength => MinValueLength;

        public bool Visit(PayloadNode node)
        {
            _scratch.Clear();
            var span = node.Data.Span;
            matcher.Search(span, _scratch);
            foreach (var h in _scratch)
                Hits.Add((h.Pattern, node.Path, Excerpts.Around(span, h.Start, LengthOf(h.Pattern))));
            return _scratch.Count > 0;
            int LengthOf(int pattern) => matcher.PatternLength(pattern);
        }
    }
}
