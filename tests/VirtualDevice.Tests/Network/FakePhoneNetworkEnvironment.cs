using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Harness.VirtualDevice.Network;

namespace Harness.VirtualDevice.Tests.Network;

/// <summary>A phone reduced to what the network stack asks of it: settings, CA stores, adb-reverse ports.</summary>
internal sealed class FakePhoneNetworkEnvironment : IPhoneNetworkEnvironment
{
    private readonly Dictionary<string, string?> _settings = new();
    private readonly Dictionary<int, IPEndPoint> _reversedPorts = new();
    private readonly List<PhoneTcpConnection> _open = [];

    public FakePhoneNetworkEnvironment(IVirtualInternet internet)
    {
        Internet = internet;
    }

    public IVirtualInternet Internet { get; }

    public List<X509Certificate2> SystemStore { get; } = [];

    public List<X509Certificate2> UserStore { get; } = [];

    public List<int> LocalConnectAttempts { get; } = [];

    public List<PhoneTcpConnection> EverRegistered { get; } = [];

    public IReadOnlyList<PhoneTcpConnection> OpenConnections
    {
        get
        {
            lock (_open)
            {
                return _open.ToList();
            }
        }
    }

    public void SetGlobal(string key, string? value) => _settings[key] = value;

    /// <summary>What `adb reverse tcp:PHONE_PORT tcp:HOST_PORT` sets up.</summary>
    public void Reverse(int phonePort, IPEndPoint hostEndPoint) => _reversedPorts[phonePort] = hostEndPoint;

    public string? GetGlobalSetting(string key) => _settings.GetValueOrDefault(key);

    public IReadOnlyList<X509Certificate2> SystemCaCertificates() => SystemStore;

    public IReadOnlyList<X509Certificate2> UserCaCertificates() => UserStore;

    public async Task<Stream> ConnectLocalTcpAsync(int port, CancellationToken cancellationToken)
    {
        LocalConnectAttempts.Add(port);
        if (!_reversedPorts.TryGetValue(port, out var target))
        {
            throw new SocketException((int)SocketError.ConnectionRefused);
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(target, cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    public void RegisterConnection(PhoneTcpConnection connection)
    {
        lock (_open)
        {
            _open.Add(connection);
            EverRegistered.Add(connection);
        }
    }

    public void UnregisterConnection(PhoneTcpConnection connection)
    {
        lock (_open)
        {
            _open.Remove(connection);
        }
    }
}
