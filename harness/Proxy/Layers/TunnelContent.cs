namespace Harness.Proxy.Layers;

/// <summary>What a client sends first inside a CONNECT tunnel.</summary>
internal enum TunnelContent
{
    /// <summary>A TLS handshake record: intercepted with our CA.</summary>
    Tls,
    /// <summary>Clear-text HTTP (ws://, http:// through CONNECT, or h2c with prior knowledge).</summary>
    PlainHttp,
    /// <summary>Anything else: relayed (or sunk) opaquely, its bytes recorded.</summary>
    Opaque,
}
