namespace Harness.Proxy.Http2;

/// <summary>A header block that cannot be decoded: a connection error of type COMPRESSION_ERROR (RFC 9113 4.3).</summary>
public sealed class HpackException(string message) : Exception(message);
