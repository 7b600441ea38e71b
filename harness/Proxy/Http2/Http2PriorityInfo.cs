namespace Harness.Proxy.Http2;

/// <summary>The priority fields of HEADERS and PRIORITY frames (RFC 9113 5.3.2); parsed, then ignored.</summary>
public readonly record struct Http2PriorityInfo(int StreamDependency, bool Exclusive, int Weight);
