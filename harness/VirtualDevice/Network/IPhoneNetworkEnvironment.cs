using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Harness.VirtualDevice.Network;

/// <summary>
/// What the phone's network stack needs from the phone it runs on. Implemented by the virtual phone;
/// kept as an interface so the network stack does not depend on the phone model.
/// </summary>
public interface IPhoneNetworkEnvironment
{
    /// <summary>A value of <c>settings get global KEY</c>, e.g. "http_proxy" → "127.0.0.1:8080", ":0" or null.</summary>
    string? GetGlobalSetting(string key);

    /// <summary>The CA certificates in /system/etc/security/cacerts (plus the conscrypt APEX on newer Androids).</summary>
    IReadOnlyList<X509Certificate2> SystemCaCertificates();

    /// <summary>The CA certificates the user installed (trusted only by apps whose network-security config opts in).</summary>
    IReadOnlyList<X509Certificate2> UserCaCertificates();

    /// <summary>
    /// Opens the phone's own localhost:<paramref name="port"/>. On a real phone a harness-side listener is
    /// reached this way through <c>adb reverse</c>. Throws (SocketException or IOException) when nothing listens.
    /// </summary>
    Task<Stream> ConnectLocalTcpAsync(int port, CancellationToken cancellationToken);

    /// <summary>How the phone resolves and reaches public host names.</summary>
    IVirtualInternet Internet { get; }

    /// <summary>Makes an open connection visible in /proc/net/tcp and /proc/net/tcp6.</summary>
    void RegisterConnection(PhoneTcpConnection connection);

    /// <summary>Removes a connection registered with <see cref="RegisterConnection"/>.</summary>
    void UnregisterConnection(PhoneTcpConnection connection);

    /// <summary>
    /// Sends a datagram of <paramref name="uid"/> to <paramref name="remote"/> over the connected UDP socket the phone
    /// keeps for that peer (opened on first use, listed in /proc/net/udp*, closed after <paramref name="idleTimeout"/>
    /// without traffic). False when the kernel's filter drops it in OUTPUT, where sendmsg fails with EPERM.
    /// </summary>
    bool SendUdp(IPEndPoint local, IPEndPoint remote, int uid, TimeSpan idleTimeout) => true;
}
