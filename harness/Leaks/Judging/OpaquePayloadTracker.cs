namespace Harness.Leaks;

/// <summary>
/// Collects, during one flow's walk, the request payloads nothing could read: those a decoder declared unreadable
/// (an encrypted Sensors upload) and binary leaves that <see cref="OpaquePayloadClassifier"/> calls opaque. A binary
/// payload is only a candidate until the walk reaches something decoded from it; then a decoder opened it.
/// </summary>
internal sealed class OpaquePayloadTracker(ScanLimits limits)
{
    // Made on first use: most flows have neither, and a tracker is made per flow.
    private List<(DecodePath Path, long Size, string Reason)>? _candidates;
    private List<OpaquePayload>? _declared;

    /// <summary>Called for every payload visited: a binary one may be opaque, and it opens every candidate it was decoded from.</summary>
    public void Observe(PayloadNode node)
    {
        if (_candidates is { Count: > 0 }) DropOpenedBy(node.Path);
        if (Classify(node) is { } reason) (_candidates ??= []).Add((node.Path, node.Data.Length, reason));
    }

    /// <summary>Why this request payload is opaque if no decoder opens it, or null.</summary>
    public string? Classify(PayloadNode node) =>
        node.Data.Length < limits.MinOpaqueBytes || node.Shifted || !IsRequestSide(node.Path.View) ? null : OpaquePayloadClassifier.Classify(node.Data.Span, limits);

    public void Declare(DecodePath path, long size, string reason)
    {
        if (IsRequestSide(path.View)) (_declared ??= []).Add(new OpaquePayload(path.Location, size, reason));
    }

    /// <summary>What stayed unread, one entry per location, declared ones first.</summary>
    public IReadOnlyList<OpaquePayload> Unread() =>
        _declared is null && _candidates is not { Count: > 0 }
            ? []
            : (_declared ?? []).Concat((_candidates ?? []).Select(c => new OpaquePayload(c.Path.Location, c.Size, c.Reason)))
                .DistinctBy(o => o.Location).ToList();

    /// <summary>
    /// Whether a run of encoding alphabet this long, in a payload under <paramref name="path"/>, can decode to
    /// something this tracker would report: then the walk must reach it with its real location, not a probe.
    /// </summary>
    public bool MayHideOpaque(DecodePath path, int runLength) => runLength >= limits.MinOpaqueBytes * 4 / 3 && IsRequestSide(path.View);

    private void DropOpenedBy(DecodePath path)
    {
        for (var p = path.Parent; p is not null; p = p.Parent)
            _candidates!.RemoveAll(c => ReferenceEquals(c.Path, p));
    }

    /// <summary>Responses (and what the server sent on a WebSocket) are what the phone received, not what it sent.</summary>
    private static bool IsRequestSide(string view) =>
        !view.StartsWith("response", StringComparison.Ordinal) && !view.EndsWith(" server", StringComparison.Ordinal);
}
