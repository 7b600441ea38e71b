using Harness.Flows;

namespace Harness.Proxy;

/// <summary>What every flow of one client connection shares: the client's address and, once intercepted, its TLS state.</summary>
internal sealed class ClientContext(string address)
{
    public string Address { get; } = address;

    /// <summary>TLS state of the connection requests arrive on (null for plain HTTP).</summary>
    public TlsInfo? Tls { get; set; }

    public DateTimeOffset? TlsDone { get; set; }
}
