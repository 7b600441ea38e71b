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

    /// <summary>
    /// Whether a run of encoding alphabet of this length, in a payload under <paramref name="path"/>, must be walked for
    /// real rather than probed: what it decodes to matters to the visitor beyond whether it matches (an opaque payload
    /// is reported with its location). A document with such a run is walked in full, once, instead of probed first.
    /// </summary>
    bool WalkRunForReal(DecodePath path, int runLength) => false;
}
