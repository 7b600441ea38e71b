using System.Net;

namespace Harness.Leaks;

/// <summary>One socket from /proc/net/tcp or /proc/net/tcp6. <see cref="State"/> is the kernel's name (ESTABLISHED, LISTEN, …).</summary>
public sealed record ProcNetTcpEntry(IPEndPoint Local, IPEndPoint Remote, string State, int Uid)
{
    public bool IsEstablished => State == "ESTABLISHED";
}
