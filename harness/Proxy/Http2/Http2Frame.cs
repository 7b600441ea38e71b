namespace Harness.Proxy.Http2;

/// <summary>One decoded frame (RFC 9113 4.1). Padding is already removed.</summary>
public abstract record Http2Frame(int StreamId);
