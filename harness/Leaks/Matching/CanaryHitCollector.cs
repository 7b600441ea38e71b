namespace Harness.Leaks;

/// <summary>Visitor that runs the canary matcher over every payload and keeps the hits.</summary>
public sealed class CanaryHitCollector(CanaryPatternSet patterns, ScanLimits? limits = null) : IPayloadVisitor, IProbingVisitor
{
    private readonly OpaquePayloadTracker _opaque = new(limits ?? ScanLimits.Default);

    private readonly List<PatternHit> _scratch = [];

    public List<CanaryHit> Hits { get; } = [];

    /// <summary>Request payloads of this walk that nothing could read (see <see cref="OpaquePayloadClassifier"/>).</summary>
    public IReadOnlyList<OpaquePayload> Opaque => _opaque.Unread();

    public bool WantsEveryJsonValue => false;

    public int MinInterestingLength { get; } = patterns.MinLength;

    /// <summary>How many payloads were visited (probes not counted): lets tests see which work the walker skipped.</summary>
    internal int Visits { get; private set; }

    public bool Visit(PayloadNode node)
    {
        Visits++;
        _opaque.Observe(node);
        _scratch.Clear();
        var span = node.Data.Span;
        patterns.Find(span, _scratch, node.AlphabetRuns);
        foreach (var h in _scratch)
        {
            var p = patterns.Patterns[h.Pattern];
            Hits.Add(new CanaryHit(p, node.Path, h.Start, Excerpts.Around(span, h.Start, p.Bytes.Length)));
        }
        return _scratch.Count > 0;
    }

    public void Unreadable(DecodePath path, long size, string reason) => _opaque.Declare(path, size, reason);

    bool IProbingVisitor.WalkRunForReal(DecodePath path, int runLength) => _opaque.MayHideOpaque(path, runLength);

    bool IProbingVisitor.Matches(PayloadNode node)
    {
        // An opaque payload is something found too: the walk must reach it for the coverage to see it.
        if (_opaque.Classify(node) is not null) return true;
        _scratch.Clear();
        patterns.Find(node.Data.Span, _scratch, node.AlphabetRuns);
        return _scratch.Count > 0;
    }
}
