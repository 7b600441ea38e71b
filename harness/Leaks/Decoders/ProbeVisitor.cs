namespace Harness.Leaks;

/// <summary>
/// Stands in for the real visitor while the walker probes a JSON document: it records only whether anything matched,
/// and whether the probe came close enough to the depth limit that the real walk (one level deeper, inside a JSON
/// string) could descend differently, in which case the probe's "nothing here" is not trusted.
/// </summary>
internal sealed class ProbeVisitor(IProbingVisitor inner, int minInterestingLength, int maxDepth) : IPayloadVisitor, IProbingVisitor
{
    public bool Found { get; private set; }

    /// <summary>The probe reached a depth at which its result may differ from the real walk's.</summary>
    public bool Uncertain { get; private set; }

    public bool WantsEveryJsonValue => false;

    public int MinInterestingLength { get; } = minInterestingLength;

    public bool Visit(PayloadNode node)
    {
        var found = Matches(node);
        Found |= found;
        return found;
    }

    public void Unreadable(DecodePath path, long size, string reason) => Found = true;

    public bool WalkRunForReal(DecodePath path, int runLength) => inner.WalkRunForReal(path, runLength);

    public bool Matches(PayloadNode node)
    {
        // The real walk reaches this payload at most one level deeper (string values sit one step below their document).
        if (node.Path.Depth + 1 >= maxDepth) Uncertain = true;
        return inner.Matches(node);
    }
}
