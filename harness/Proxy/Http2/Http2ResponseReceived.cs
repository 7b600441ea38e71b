using Harness.Flows;

namespace Harness.Proxy.Http2;

/// <summary>
/// Client role: a response header block on a stream we opened. Informational (1xx) responses come first, each as its
/// own event with <see cref="IsInformational"/>; the final response follows.
/// </summary>
public sealed record Http2ResponseReceived(int StreamId, IReadOnlyList<HeaderField> Fields, bool EndStream) : Http2Event(StreamId)
{
    public int StatusCode => int.TryParse(Http2HeaderFields.Get(Fields, ":status"), out var status) ? status : 0;
    public bool IsInformational => StatusCode is >= 100 and < 200;
    /// <summary>The fields without the pseudo-header fields.</summary>
    public IReadOnlyList<HeaderField> Headers => Http2HeaderFields.Regular(Fields);
}
