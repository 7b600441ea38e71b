namespace Harness.Leaks;

/// <summary>
/// A visitor that can say whether it would find something in a payload without recording it. The walker uses this to
/// rule out a whole JSON document (its parse and the walks of its strings) when a cheap pass over the document shows
/// that nothing below it can match; only then is the work skipped, so the findings are the same either way.
/// </summary>
internal interface IProbingVisitor
{
    /// <summary>What <see cref="IPayloadVisitor.Visit"/> would return for this node, with no side effect.</summary>
    bool Matches(PayloadNode node);
}
