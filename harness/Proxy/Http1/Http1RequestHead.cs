using Harness.Flows;

namespace Harness.Proxy.Http1;

/// <summary>A request line and its headers, in wire order and case.</summary>
public sealed record Http1RequestHead(
    string Method,
    string Target,
    string Version,
    IReadOnlyList<HeaderField> Headers,
    Http1BodyFraming Framing,
    long? ContentLength,
    bool ExpectContinue) : Http1Event
{
    public bool IsConnect => Method.Equals("CONNECT", StringComparison.OrdinalIgnoreCase);
    public bool IsUpgrade => Http1Headers.Get(Headers, "upgrade") is not null && Http1Headers.HasToken(Headers, "connection", "upgrade");
}
