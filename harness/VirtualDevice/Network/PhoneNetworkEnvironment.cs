using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Harness.VirtualDevice.Android;

namespace Harness.VirtualDevice.Network;

/// <summary>
/// The phone side of <see cref="IPhoneNetworkEnvironment"/>: settings, CA stores and sockets all come from the
/// phone's own state, so whatever the harness changes over adb (http_proxy, a CA pushed as root, adb reverse)
/// is what the network stack sees on its next request.
/// </summary>
public sealed class PhoneNetworkEnvironment(VirtualAndroid android, IVirtualInternet internet) : IPhoneNetworkEnvironment
{
    private readonly ConcurrentDictionary<long, IDisposable> _registrations = new();
    private readonly Dictionary<(int Uid, IPEndPoint Remote), IDisposable> _udpSockets = new();
    private readonly ConcurrentDictionary<string, X509Certificate2?> _parsed = new(StringComparer.Ordinal);

    public IVirtualInternet Internet { get; } = internet;

    public string? GetGlobalSetting(string key) => android.Settings.Get("global", key);

    public IReadOnlyList<X509Certificate2> SystemCaCertificates() => Parse(android.SystemCaCertificates());

    public IReadOnlyList<X509Certificate2> UserCaCertificates() => Parse(android.UserCaCertificates());

    public Task<Stream> ConnectLocalTcpAsync(int port, CancellationToken cancellationToken) =>
        android.ConnectLocalTcpAsync(port, cancellationToken);

    public void RegisterConnection(PhoneTcpConnection connection)
    {
        var registration = android.TcpConnections.Register(
            connection.LocalEndPoint, connection.RemoteEndPoint, connection.Uid, connection.State, connection.Inode);
        _registrations[connection.Inode] = registration;
    }

    public void UnregisterConnection(PhoneTcpConnection connection)
    {
        // The phone closes first (no keep-alive), so the socket lingers in TIME_WAIT as the kernel keeps it: 60 s.
        if (_registrations.TryRemove(connection.Inode, out var registration))
            android.TcpConnections.MoveToTimeWait(registration, TimeSpan.FromSeconds(60) * android.TimeFactor);
    }

    public bool SendUdp(IPEndPoint local, IPEndPoint remote, int uid, TimeSpan idleTimeout)
    {
        if (android.FirewallFor(remote.Address).DropsOutgoing("udp", remote.Port, uid)) return false;
        var until = android.Clock.GetUtcNow() + idleTimeout;
        var key = (uid, remote);
        lock (_udpSockets)
        {
            if (!_udpSockets.TryGetValue(key, out var socket) || !android.UdpSockets.Extend(socket, until))
            {
                socket?.Dispose();
                _udpSockets[key] = android.UdpSockets.RegisterUntil(local, remote, uid, until);
            }
        }
        return true;
    }

    // The files are whatever was pushed (PEM or DER, sometimes not a certificate at all): like conscrypt, skip what does not parse.
    private IReadOnlyList<X509Certificate2> Parse(IReadOnlyList<KeyValuePair<string, byte[]>> files)
    {
        var certificates = new List<X509Certificate2>();
        foreach (var (_, content) in files)
        {
            var key = Convert.ToHexString(SHA256.HashData(content));
            var certificate = _parsed.GetOrAdd(key, _ => CaCertificateFile.TryParse(content));
            if (certificate != null) certificates.Add(certificate);
        }
        return certificates;
    }
}
