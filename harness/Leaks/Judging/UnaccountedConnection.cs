using System.Net;

namespace Harness.Leaks;

/// <summary>A connection the phone made (seen in /proc/net/tcp* or /proc/net/udp*) that no captured flow accounts for.</summary>
public sealed record UnaccountedConnection(IPEndPoint Remote, DateTimeOffset SeenAt, string? Detail = null, SocketTransport Transport = SocketTransport.Tcp)
{
    /// <summary>DNS over TLS (RFC 7858) and DNS over QUIC (RFC 9250) both use port 853.</summary>
    public const int DnsOverTlsPort = 853;

    public const int HttpsPort = 443;

    /// <summary>
    /// The coverage item's kind: "quic-connection" for UDP to 443 (HTTP/3, which no HTTP proxy carries),
    /// "dns-over-tls" / "dns-over-quic" for port 853 (lookups that went past the phone's resolver settings), else
    /// "unaccounted-connection".
    /// </summary>
    public string Kind => (Transport, Remote.Port) switch
    {
        (SocketTransport.Udp, HttpsPort) => "quic-connection",
        (SocketTransport.Tcp, DnsOverTlsPort) => "dns-over-tls",
        (SocketTransport.Udp, DnsOverTlsPort) => "dns-over-quic",
        _ => "unaccounted-connection",
    };

    /// <summary>How the connection reads in a verdict: "QUIC (UDP 443) to 198.18.0.7:443".</summary>
    public string Describe() => Kind switch
    {
        "quic-connection" => $"QUIC (UDP {HttpsPort}) to {Remote}",
        "dns-over-tls" => $"DNS-over-TLS (TCP {DnsOverTlsPort}) to {Remote}",
        "dns-over-quic" => $"DNS-over-QUIC (UDP {DnsOverTlsPort}) to {Remote}",
        _ => $"{(Transport == SocketTransport.Udp ? "UDP" : "TCP")} connection to {Remote}",
    };
}
