namespace Harness.Leaks;

/// <summary>
/// Collects, during one flow's walk, the request payloads nothing could read: those a decoder declared unreadable
/// (an encrypted Sensors upload) and binary leaves that <see cref="OpaquePayloadClassifier"/> calls opaque. A binary
/// payload is only a candidate until the walk reaches something decoded from it; then a decoder opened it.
/// </summary>
internal sealed class OpaquePayloadTracker(ScanLimits limits)
{
    private readonly List<(DecodePath Path, long Size, string Reason)> _candidates = [];
    private readonly List<OpaquePayload> _declared = [];

    /// <summary>Called for every payload visited: a binary one may be opaque, and it opens every candidate it was decoded from.</summary>
    public void Observe(PayloadNode node)
    {
        if (_candidates.Count > 0) DropOpenedBy(node.Path);
        if (node.Data.Length < limits.MinOpaqueBytes || !IsRequestSide(node.Path.View)) return;
        if (OpaquePayloadClassifier.Classify(node.Data.Span, limits) is { } reason) _candidates.Add((node.Path, node.Data.Length, reason));
    }

    public void Declare(DecodePath path, long size, string reason)
    {
        if (IsRequestSide(path.View)) _declared.Add(new OpaquePayload(path.Location, size, reason));
    }

    /// <summary>What stayed unread, one entry per location, declared ones first.</summary>
    public IReadOnlyList<OpaquePayload> Unread() =>
        _declared.Concat(_candidates.Select(c => new OpaquePayload(c.Path.Location, c.Size, c.Reason)))
            .DistinctBy(o => o.Location).ToList();

    private void DropOpenedBy(DecodePath path)
    {
        for (var p = path.Parent; p is not null; p = p.Parent)
            _candidates.RemoveAll(c => ReferenceEquals(c.Path, p));
    }

    /// <summary>Responses (and what the server sent on a WebSocket) are what the phone received, not what it sent.</summary>
    private static bool IsRequestSide(string view) =>
        !view.StartsWith("response", StringComparison.Ordinal) && !view.EndsWith(" server", StringComparison.Ordinal);
}
