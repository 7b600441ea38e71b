using Harness.Flows;

namespace Harness.Proxy.Http2Proxy;

/// <summary>A piece of a stream's request body as the client sent it: bytes (owned), or the trailers, or the end.</summary>
internal readonly record struct Http2RequestPart(byte[]? Data, IReadOnlyList<HeaderField>? Trailers, bool End);
