using Harness.Flows;

namespace Harness.Leaks;

/// <summary>
/// Finds a run's canaries in a capture however they were wrapped, classifies where they went, and gives a verdict
/// that is never <see cref="Verdict.Pass"/> when part of the traffic could not be seen.
/// </summary>
public sealed class CanaryScanner
{
    // One compiled matcher per canary set; a scanner instance is reused across scenarios of a run.
    private readonly Dictionary<CanarySet, CanaryPatternSet> _patternSets = new(ReferenceEqualityComparer.Instance);

    public CanaryPatternSet PatternsFor(CanarySet canaries)
    {
        lock (_patternSets)
        {
            if (!_patternSets.TryGetValue(canaries, out var set)) _patternSets[canaries] = set = new CanaryPatternSet(canaries.Canaries);
            return set;
        }
    }

    public ScanResult Scan(IReadOnlyList<Flow> flows, ScanRequest request)
    {
        ArgumentNullException.ThrowIfNull(flows);
        ArgumentNullException.ThrowIfNull(request);
        var destinations = request.EffectiveDestinations;
        var unread = new List<(Flow Flow, DestinationClass Destination, OpaquePayload Payload)>();
        var findings = FindLeaks(flows, request, destinations, unread);
        var coverage = CoverageAnalyzer.Analyze(flows, destinations, request.UnaccountedConnections, unread, request.ClearOpaquePayload);
        var linkables = new LinkableIdentifierAnalyzer(request.Limits).Analyze(flows, destinations, request.SessionTag);
        var metadata = request.DeviceMetadata.Count == 0 ? [] : new DeviceMetadataMatcher(request.DeviceMetadata, request.Limits).Match(flows, destinations);
        var sessions = flows.Select(f => f.Tags.GetValueOrDefault(request.SessionTag)).Where(s => s is not null).Distinct().Count();
        var outcomes = ExpectationJudge.Judge(request.Expectations.Count == 0 ? [ScanExpectation.NoLeakAnywhere] : request.Expectations, findings, coverage, linkables, sessions);
        return new ScanResult
        {
            Verdict = ExpectationJudge.Combine(outcomes),
            Findings = findings,
            Coverage = coverage,
            Linkables = linkables,
            DeviceMetadataFindings = metadata,
            Expectations = outcomes,
            OpaquePayloads = unread,
        };
    }

    /// <summary>Leak findings only (no verdict): every canary outside its intended destinations.</summary>
    public IReadOnlyList<Finding> FindLeaks(IReadOnlyList<Flow> flows, ScanRequest request, DestinationClassifier destinations) =>
        FindLeaks(flows, request, destinations, []);

    /// <param name="unread">Receives the request payloads of non-intended flows that nothing could read.</param>
    private IReadOnlyList<Finding> FindLeaks(IReadOnlyList<Flow> flows, ScanRequest request, DestinationClassifier destinations,
        List<(Flow Flow, DestinationClass Destination, OpaquePayload Payload)> unread)
    {
        var patterns = PatternsFor(request.Canaries);
        var walker = new PayloadWalker(request.Limits);
        var findings = new List<Finding>();
        foreach (var flow in flows)
        {
            var destination = destinations.Classify(flow);
            if (destination == DestinationClass.Intended) continue;
            var collector = new CanaryHitCollector(patterns, request.Limits);
            FlowViews.Walk(flow, request.ScanResponseBodies, walker, collector);
            foreach (var payload in collector.Opaque) unread.Add((flow, destination, payload));
            if (collector.Hits.Count == 0) continue;
            findings.AddRange(ToFindings(flow, destination, collector.Hits, request.SessionTag));
        }
        return findings;
    }

    internal static IEnumerable<Finding> ToFindings(Flow flow, DestinationClass destination, List<CanaryHit> hits, string sessionTag)
    {
        var merged = new List<(Canary Canary, string Form, CanaryHit Hit)>();
        foreach (var group in hits.GroupBy(h => h.Path))
        {
            var nodeHits = group.ToList();
            var urlRanges = nodeHits.Where(h => h.Pattern.Canary.Kind == CanaryKind.Url && h.Pattern.Hash is null)
                .Select(h => (h.Start, End: h.Start + h.Pattern.Bytes.Length)).ToList();
            // Parts of a leaked URL are that URL, not separate leaks.
            var kept = nodeHits.Where(h => h.Pattern.Canary.Kind == CanaryKind.Url || h.Pattern.Hash is not null
                || !urlRanges.Any(r => h.Start >= r.Start && h.Start + h.Pattern.Bytes.Length <= r.End)).ToList();
            var host = kept.FirstOrDefault(h => h.Pattern.Canary.Kind == CanaryKind.Host && h.Pattern.Hash is null);
            var path = kept.FirstOrDefault(h => h.Pattern.Canary.Kind == CanaryKind.Path && h.Pattern.Hash is null);
            if (host is not null && path is not null && urlRanges.Count == 0)
            {
                // Host and path together are the page's address whatever the formatting (scheme dropped, re-encoded).
                var url = new Canary(CanaryKind.Url, host.Pattern.Canary.Value + "/" + path.Pattern.Canary.Value);
                merged.Add((url, "host+path", host));
                kept.RemoveAll(h => h.Pattern.Hash is null && h.Pattern.Canary.Kind is CanaryKind.Host or CanaryKind.Path);
            }
            merged.AddRange(kept.Select(h => (h.Pattern.Canary, h.Pattern.Form, h)));
        }

        // One finding per canary and location; a location whose decoded child shows the same canary gives way to it.
        var distinct = merged.GroupBy(m => (m.Hit.Path, m.Canary.Kind, m.Hit.Pattern.Hash)).Select(g => g.First()).ToList();
        var session = flow.Tags.GetValueOrDefault(sessionTag);
        foreach (var m in distinct)
        {
            if (distinct.Any(o => o.Canary.Kind == m.Canary.Kind && m.Hit.Path.IsAncestorOf(o.Hit.Path))) continue;
            var chain = m.Hit.Path.Chain.ToList();
            if (m.Hit.Pattern.Hash is { } hash) chain.Add(hash);
            yield return new Finding
            {
                FlowId = flow.Id,
                Host = flow.Host,
                Destination = destination,
                CanaryKind = m.Canary.Kind,
                CanaryValue = m.Canary.Value,
                Form = m.Form,
                Location = m.Hit.Path.Location,
                DecodeChain = chain,
                Excerpt = m.Hit.Excerpt,
                Session = session,
            };
        }
    }
}
