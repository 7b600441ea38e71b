namespace Harness.Flows;

/// <summary>How interception of one TLS connection went, classified as mitmproxy does per host.</summary>
public enum TlsOutcome
{
    /// <summary>The client accepted our leaf: the flow's plaintext is seen.</summary>
    Intercepted,
    /// <summary>The client sent unknown_ca / bad_certificate / certificate_unknown: it does not trust our CA.</summary>
    ClientRejectedUntrusted,
    /// <summary>The client closed the connection during the handshake: the usual sign of certificate pinning.</summary>
    ClientClosedDuringHandshake,
    /// <summary>No common TLS version or cipher.</summary>
    VersionMismatch,
    /// <summary>Any other handshake failure.</summary>
    Failed,
    /// <summary>Relayed without interception (not TLS, or deliberately not intercepted).</summary>
    Passthrough,
}
