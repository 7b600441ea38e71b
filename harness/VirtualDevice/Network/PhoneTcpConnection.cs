using System.Net;

namespace Harness.VirtualDevice.Network;

/// <summary>
/// One open TCP socket of the phone as the kernel lists it. An IPv6 local/remote endpoint (including an
/// IPv4-mapped one, which is what Java sockets on Android use) is listed in /proc/net/tcp6, IPv4 in /proc/net/tcp.
/// </summary>
/// <param name="Inode">The socket inode (unique per phone while open).</param>
/// <param name="Uid">The Linux uid of the owning app (10000 + app id for apps).</param>
/// <param name="HostName">The host name the app asked for, when known; not part of the kernel view.</param>
public sealed record PhoneTcpConnection(
    long Inode,
    IPEndPoint LocalEndPoint,
    IPEndPoint RemoteEndPoint,
    PhoneTcpState State,
    int Uid,
    string? HostName = null);
