namespace Harness.Leaks;

/// <summary>Which kernel table a socket was listed in: /proc/net/tcp{,6} or /proc/net/udp{,6}.</summary>
public enum SocketTransport
{
    Tcp,
    Udp,
}
