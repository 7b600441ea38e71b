namespace Harness.Proxy.Http1;

/// <summary>Body bytes, de-chunked. The memory is owned by the event (a copy), safe to keep.</summary>
public sealed record Http1BodyData(ReadOnlyMemory<byte> Data) : Http1Event;
