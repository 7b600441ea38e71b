namespace Harness.Leaks;

/// <summary>Visitor that runs the canary matcher over every payload and keeps the hits.</summary>
public sealed class CanaryHitCollector(CanaryPatternSet patterns) : IPayloadVisitor, IProbingVisitor
{
    private readonly List<PatternHit> _scratch = [];

    public List<CanaryHit> Hits { get; } = [];

    public bool WantsEveryJsonValue => false;

    public int MinInterestingLength { get; } = patterns.MinLength;

    /// <summary>How many payloads were visited (probes not counted): lets tests see which work the walker skipped.</summary>
    internal int Visits { get; private set; }

    public bool Visit(PayloadNode node)
    {
        Visits++;
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

    bool IProbingVisitor.Matches(PayloadNode node)
    {
        _scratch.Clear();
        patterns.Find(node.Data.Span, _scratch, node.AlphabetRuns);
        return _scratch.Count > 0;
    }
}
