using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Harness.VirtualDevice.Network;

/// <summary>The "internet" of a virtual rack: public host names served by local origins on loopback.</summary>
public interface IVirtualInternet
{
    /// <summary>The root CA that issued every origin certificate; belongs in the phone's SYSTEM CA store.</summary>
    X509Certificate2 RootCertificate { get; }

    /// <summary>
    /// The address the phone's resolver returns for <paramref name="host"/>. It is only a label shown in
    /// /proc/net/tcp; no packet is ever sent to it.
    /// </summary>
    IPAddress ResolveHost(string host);

    /// <summary>Opens a TCP connection to <paramref name="host"/>:<paramref name="port"/> (always a loopback stand-in).</summary>
    Task<Stream> ConnectAsync(string host, int port, CancellationToken cancellationToken);
}
