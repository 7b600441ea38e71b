using Harness.Flows;

namespace Harness.Proxy.Http1;

/// <summary>Header fields after the last chunk of a chunked body.</summary>
public sealed record Http1Trailers(IReadOnlyList<HeaderField> Headers) : Http1Event;
