using System.Net;

namespace Harness.Leaks;

/// <summary>
/// One socket from /proc/net/tcp{,6} or /proc/net/udp{,6}. <see cref="State"/> is the kernel's name (ESTABLISHED,
/// LISTEN, …); a UDP socket shows ESTABLISHED (01) once connect() gave it a peer, CLOSE (07) when it only listens or
/// uses sendto (then its destination is not in the table).
/// </summary>
public sealed record ProcNetTcpEntry(IPEndPoint Local, IPEndPoint Remote, string State, int Uid, SocketTransport Transport = SocketTransport.Tcp)
{
    public bool IsEstablished => State == "ESTABLISHED";
}
