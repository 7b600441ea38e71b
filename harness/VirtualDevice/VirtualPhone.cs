using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Apps;
using Harness.VirtualDevice.Network;
using Harness.VirtualDevice.Network.Internet;
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
    private readonly VirtualInternet? _ownedInternet;
    private readonly VirtualPhoneOptions _options;
    private Task _backgroundTraffic = Task.CompletedTask;

    private VirtualPhone(PhoneProfile profile, VirtualPhoneOptions options, TcpListener listener)
    {
        Profile = profile;
        _listener = listener;
        _options = options;
        Android = new VirtualAndroid(profile, options.Catalog, options.Clock) { TimeFactor = options.TimeFactor };
        Android.LocalTcpConnector = ConnectLocalTcpAsync;
        if (options.Internet == null) _ownedInternet = VirtualInternet.Start();
        Internet = options.Internet ?? _ownedInternet!;
        Network = new PhoneNetworkEnvironment(Android, Internet);
        Android.Http = new PhoneHttpClient(Network);
        Android.NetworkEnvironment = Network;
        InstallInternetRoot(Internet);
        _services = new DeviceServices(Android, () => TimeSpan.FromTicks(Interlocked.Read(ref _responseDelayTicks)));
        _banner = $"device::ro.product.name={profile.ProductName};ro.product.model={profile.Model};ro.product.device={profile.Device};features={string.Join(',', options.Features)}";
    }

    public PhoneProfile Profile { get; }
    public VirtualAndroid Android { get; }
    /// <summary>The internet this phone reaches directly (shared by a rack, or the phone's own).</summary>
    public VirtualInternet Internet { get; }
    /// <summary>What the phone's network stack sees: proxy setting, CA stores, adb reverse, socket table.</summary>
    public PhoneNetworkEnvironment Network { get; }
    /// <summary>Faults switched on for this phone (pinned telemetry, proxy bypass).</summary>
    public PhoneFaults Faults => Android.Faults;
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string Serial => ((IPEndPoint)_listener.LocalEndpoint).Address + ":" + Port;
    /// <summary>Number of adb servers currently attached (normally 0 or 1).</summary>
    public int ConnectionCount => _connections.Keys.Count(c => !c.IsClosed);

    public static async Task<VirtualPhone> StartAsync(PhoneProfile profile, VirtualPhoneOptions? options = null, CancellationToken ct = default)
    {
        options ??= new VirtualPhoneOptions();
        var listener = new TcpListener(options.ListenAddress, options.Port);
        listener.Start();
        var phone = new VirtualPhone(profile, options, listener);
        foreach (var manifest in options.Preinstalled)
        {
            var result = await phone.Android.Packages.InstallAsync(VirtualApk.Build(manifest), ct).ConfigureAwait(false);
            if (result != "Success") throw new InvalidOperationException($"preinstalling {manifest.Package} failed: {result}");
        }
        phone._acceptLoop = phone.AcceptLoopAsync(phone._stop.Token);
        phone._backgroundTraffic = phone.BackgroundTrafficAsync(phone._stop.Token);
        return phone;
    }

    /// <summary>The rack's root ships in the system store like a public root, so apps trust the local origins.</summary>
    private void InstallInternetRoot(IVirtualInternet internet)
    {
        var name = AndroidCaFileName.Of(internet.RootCertificate);
        var pem = System.Text.Encoding.ASCII.GetBytes(internet.RootCertificate.ExportCertificatePem() + "\n");
        Android.FileSystem.AddFile($"{VirtualAndroid.SystemCaDirectory}/{name}", pem);
        if (Profile.Sdk >= 34) Android.FileSystem.AddFile($"{VirtualAndroid.ApexCaDirectory}/{name}", pem);
    }

    /// <summary>
    /// The phone's own noise: the captive-portal check and an update check, at boot, periodically, and whenever the
    /// global proxy changes (Android re-validates the network then).
    /// </summary>
    private async Task BackgroundTrafficAsync(CancellationToken ct)
    {
        var interval = _options.BackgroundCheckInterval * Math.Max(_options.TimeFactor, 0.0001);
        using var proxyChanged = new SemaphoreSlim(0);
        void OnSettingChanged(string ns, string key, string? value)
        {
            if (ns == "global" && key == "http_proxy" && proxyChanged.CurrentCount == 0) proxyChanged.Release();
        }
        Android.Settings.Changed += OnSettingChanged;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await CheckConnectivityAsync(ct).ConfigureAwait(false);
                using var nextRound = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var tick = Task.Delay(interval, nextRound.Token);
                var changed = proxyChanged.WaitAsync(nextRound.Token);
                await Task.WhenAny(tick, changed).ConfigureAwait(false);
                await nextRound.CancelAsync().ConfigureAwait(false);
                try { await Task.WhenAll(tick, changed).ConfigureAwait(false); } catch (OperationCanceledException) { }
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            Android.Settings.Changed -= OnSettingChanged;
        }
    }

    private async Task CheckConnectivityAsync(CancellationToken ct)
    {
        foreach (var url in new[] { $"http://{VirtualInternetHosts.ConnectivityCheck}/generate_204", $"https://update.miui.com/updates/v1/miuiota?d={Profile.Device}&v={Profile.Incremental}" })
        {
            try
            {
                await Android.Http!.SendAsync(new PhoneHttpRequest("GET", new Uri(url))
                {
                    AppUid = 1000,
                    Headers = [new("User-Agent", $"Dalvik/2.1.0 (Linux; U; Android {Profile.Release}; {Profile.Model} MIUI/{Profile.Incremental})")],
                }, ct).ConfigureAwait(false);
            }
            catch (PhoneNetworkException) { /* no network (yet): the phone tries again on the next round */ }
        }
    }

    /// <summary>The app's process dies (an uncaught exception): its screen is gone and the launcher shows.</summary>
    public async Task CrashAppAsync(string packageName, CancellationToken ct = default)
    {
        var running = Android.Activities.GetRunning(packageName) ?? throw new InvalidOperationException($"{packageName} is not running");
        Android.Log.Write(running.Pid, 'E', "AndroidRuntime", $"FATAL EXCEPTION: main\nProcess: {packageName}, PID: {running.Pid}\njava.lang.NullPointerException: Attempt to invoke virtual method on a null object reference");
        await Android.Activities.ForceStopAsync(packageName, ct).ConfigureAwait(false);
        Android.Log.Write(1000, 'I', "ActivityManager", $"Process {packageName} (pid {running.Pid}) has died: fg  TOP");
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
            Android.ReverseForwards.Clear(connection);
        }
    }

    /// <summary>
    /// In-phone code connecting to 127.0.0.1:port. Like adbd, the phone opens "tcp:M" towards the host when an
    /// `adb reverse tcp:port tcp:M` is registered. The returned stream is duplex; dispose it to close.
    /// </summary>
    public async Task<Stream> ConnectLocalTcpAsync(int port, CancellationToken ct)
    {
        var spec = $"tcp:{port}";
        var forward = Android.ReverseForwards.Find(spec) ?? throw new PhoneConnectionRefusedException(port, "nothing listens on that port (no adb reverse forward)");
        // Through the transport that made the reverse: adb 29's server aborts on a reverse OPEN it did not set up.
        var connection = forward.Owner as AdbDeviceConnection
            ?? _connections.Keys.FirstOrDefault(c => !c.IsClosed && c.Online.IsCompletedSuccessfully)
            ?? throw new PhoneConnectionRefusedException(port, "no adb server is attached");
        var stream = await connection.OpenToHostAsync(
            () => Android.ReverseForwards.Find(spec) is { } still && ReferenceEquals(still.Owner, forward.Owner) ? still.HostSpec : null, ct).ConfigureAwait(false);
        return stream ?? throw new PhoneConnectionRefusedException(port, $"the reverse {spec} is gone or the host refused {forward.HostSpec}");
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
        try { await _backgroundTraffic.ConfigureAwait(false); } catch (Exception) { }
        foreach (var running in Android.Packages.All.Select(p => Android.Activities.GetRunning(p.PackageName)).OfType<RunningApp>().ToList())
        {
            try { await Android.Activities.ForceStopAsync(running.App.PackageName, CancellationToken.None).ConfigureAwait(false); } catch (Exception) { }
        }
        foreach (var t in _connections.Values.ToList())
        {
            try { await t.ConfigureAwait(false); } catch (Exception) { }
        }
        _stop.Dispose();
        if (_ownedInternet != null) await _ownedInternet.DisposeAsync().ConfigureAwait(false);
    }
}
