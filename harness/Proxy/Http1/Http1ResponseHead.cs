using Harness.Flows;

namespace Harness.Proxy.Http1;

/// <summary>A status line and its headers, in wire order and case.</summary>
public sealed record Http1ResponseHead(
    string Version,
    int StatusCode,
    string Reason,
    IReadOnlyList<HeaderField> Headers,
    Http1BodyFraming Framing,
    long? ContentLength) : Http1Event
{
    /// <summary>1xx other than 101: another response for the same request follows.</summary>
    public bool IsInterim => StatusCode is >= 100 and < 200 and not 101;
}
