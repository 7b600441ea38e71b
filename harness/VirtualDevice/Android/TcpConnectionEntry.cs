using Harness.VirtualDevice.Network;
using System.Net;

namespace Harness.VirtualDevice.Android;

/// <summary>An open TCP socket of in-phone code, as /proc/net/tcp{,6} lists it.</summary>
public sealed record TcpConnectionEntry(IPEndPoint Local, IPEndPoint Remote, PhoneTcpState State, int Uid, long Inode);
