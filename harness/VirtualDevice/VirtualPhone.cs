using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Apps;
using Harness.VirtualDevice.Services;
using Harness.VirtualDevice.Transport;

namespace Harness.VirtualDevice;

/// <summary>
/// A virtual Android phone reachable by the real adb server over TCP (`adb connect 127.0.0.1:PORT`), as a phone with
/// Wi-Fi debugging is. It speaks the device side of the adb transport and runs a small Android (<see cref="Android"/>).
/// </summary>
public sealed class VirtualPhone : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<AdbDeviceConnection, Task> _connections = new();
    private readonly DeviceServices _services;
    private readonly string _banner;
    private Task _acceptLoop = Task.CompletedTask;
    private volatile bool _refuseConnections;
    private long _responseDelayTicks;

    private VirtualPhone(PhoneProfile profile, VirtualPhoneOptions options, TcpListener listener)
    {
        Profile = profile;
        _listener = listener;
        Android = new VirtualAndroid(profile, options.Catalog, options.Clock);
        Android.LocalTcpConnector = ConnectLocalTcpAsync;
        _services = new DeviceServices(Android, () => TimeSpan.FromTicks(Interlocked.Read(ref _responseDelayTicks)));
        _banner = $"device::ro.product.name={profile.ProductName};ro.product.model={profile.Model};ro.product.device={profile.Device};features={string.Join(',', options.Features)}";
    }

    public PhoneProfile Profile { get; }
    public VirtualAndroid Android { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string Serial => "127.0.0.1:" + Port;
    /// <summary>Number of adb servers currently attached (normally 0 or 1).</summary>
    public int ConnectionCount => _connections.Keys.Count(c => !c.IsClosed);

    public static async Task<VirtualPhone> StartAsync(PhoneProfile profile, VirtualPhoneOptions? options = null, CancellationToken ct = default)
    {
        options ??= new VirtualPhoneOptions();
        var listener = new TcpListener(IPAddress.Loopback, options.Port);
        listener.Start();
        var phone = new VirtualPhone(profile, options, listener);
        foreach (var manifest in options.Preinstalled)
        {
            var result = await phone.Android.Packages.InstallAsync(VirtualApk.Build(manifest), ct).ConfigureAwait(false);
            if (result != "Success") throw new InvalidOperationException($"preinstalling {manifest.Package} failed: {result}");
        }
        phone._acceptLoop = phone.AcceptLoopAsync(phone._stop.Token);
        return phone;
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            if (_refuseConnections)
            {
                // Unplugged: the adb server sees the link drop before any CNXN.
                socket.Dispose();
                continue;
            }
            socket.NoDelay = true;
            var connection = new AdbDeviceConnection(socket, _banner, _services.IsKnown, _services.RunAsync);
            _connections[connection] = RunConnectionAsync(connection, ct);
        }
    }

    private async Task RunConnectionAsync(AdbDeviceConnection connection, CancellationToken ct)
    {
        try { await connection.RunAsync(ct).ConfigureAwait(false); }
        finally
        {
            _connections.TryRemove(connection, out _);
            // adbd's reverse listeners belong to the transport: they vanish with it.
            if (_connections.IsEmpty) Android.ReverseForwards.Clear();
        }
    }

    /// <summary>
    /// In-phone code connecting to 127.0.0.1:port. Like adbd, the phone opens "tcp:M" towards the host when an
    /// `adb reverse tcp:port tcp:M` is registered. The returned stream is duplex; dispose it to close.
    /// </summary>
    public async Task<Stream> ConnectLocalTcpAsync(int port, CancellationToken ct)
    {
        var hostSpec = Android.ReverseForwards.Find($"tcp:{port}") ?? throw new PhoneConnectionRefusedException(port, "nothing listens on that port (no adb reverse forward)");
        var connection = _connections.Keys.FirstOrDefault(c => !c.IsClosed && c.Online.IsCompletedSuccessfully)
            ?? throw new PhoneConnectionRefusedException(port, "no adb server is attached");
        var stream = await connection.OpenToHostAsync(hostSpec, ct).ConfigureAwait(false);
        return stream ?? throw new PhoneConnectionRefusedException(port, $"the host refused {hostSpec}");
    }

    /// <summary>Simulates pulling the cable: every adb link is closed and reconnection is refused until <see cref="AllowReconnect"/>.</summary>
    public async Task DropAdbConnectionsAsync()
    {
        _refuseConnections = true;
        foreach (var c in _connections.Keys.ToList()) await c.DisposeAsync().ConfigureAwait(false);
        foreach (var t in _connections.Values.ToList())
        {
            try { await t.ConfigureAwait(false); } catch (Exception) { }
        }
    }

    public void AllowReconnect() => _refuseConnections = false;

    /// <summary>Every adb service waits this long before it answers (zero turns it off).</summary>
    public void SetResponseDelay(TimeSpan delay) => Interlocked.Exchange(ref _responseDelayTicks, delay.Ticks);

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _listener.Stop();
        foreach (var c in _connections.Keys.ToList()) await c.DisposeAsync().ConfigureAwait(false);
        try { await _acceptLoop.ConfigureAwait(false); } catch (Exception) { }
        foreach (var t in _connections.Values.ToList())
        {
            try { await t.ConfigureAwait(false); } catch (Exception) { }
        }
        _stop.Dispose();
    }
}
