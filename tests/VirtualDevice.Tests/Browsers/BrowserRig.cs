using System.Collections.Concurrent;
using Harness.Adb;
using Harness.Browsers;
using Harness.Flows;
using Harness.Proxy;
using Harness.Proxy.Certificates;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Browsers;

namespace Harness.VirtualDevice.Tests.Browsers;

/// <summary>
/// One virtual phone attached to a real adb server, and the harness's own intercepting proxy (sinkhole) with its CA
/// put into the phone's system store as a QA engineer does on a rooted phone. Everything reaches the phone through
/// adb: install, settings, reverse, UI. The phone object is used only to switch faults on.
/// </summary>
internal sealed class BrowserRig : IAsyncDisposable
{
    /// <summary>The phone's port for the proxy (adb reverse maps it to the proxy's real port).</summary>
    public const int PhoneProxyPort = 8888;

    private readonly ConcurrentQueue<Flow> _flows = new();
    private readonly string _caDirectory;
    private readonly SemaphoreSlim _flowArrived = new(0);

    private BrowserRig(VirtualPhoneFixture fixture, AdbClient client, DeviceClient device, InterceptingProxy proxy, CertificateAuthority ca, string caDirectory)
    {
        Fixture = fixture;
        Client = client;
        Device = device;
        Proxy = proxy;
        Authority = ca;
        _caDirectory = caDirectory;
    }

    public VirtualPhoneFixture Fixture { get; }
    public VirtualPhone Phone => Fixture.Phone;
    public string Serial => Fixture.Serial;
    public AdbClient Client { get; }
    public DeviceClient Device { get; }
    public InterceptingProxy Proxy { get; }
    public CertificateAuthority Authority { get; }
    public IReadOnlyList<Flow> Flows => _flows.ToList();

    public static async Task<BrowserRig> StartAsync(PrivateAdbServer adb, string model = "Redmi Note 8", string? locale = null, bool rooted = true, double timeFactor = 0.05, CancellationToken ct = default)
    {
        var builtIn = PhoneProfile.FindBuiltIn(model) ?? throw new ArgumentException($"no built-in phone '{model}'");
        var profile = builtIn with { Rooted = rooted, Locale = locale ?? builtIn.Locale };
        var fixture = await VirtualPhoneFixture.StartAsync(adb, profile, new VirtualPhoneOptions { TimeFactor = timeFactor, BackgroundCheckInterval = TimeSpan.FromMinutes(10) }, ct);
        var client = new AdbClient(new AdbClientOptions { Port = adb.Port, CommandTimeout = TimeSpan.FromSeconds(30) });
        var device = new DeviceClient(client, await client.GetDeviceAsync(fixture.Serial, ct)) { PollInterval = TimeSpan.FromMilliseconds(50) };
        var caDirectory = Path.Combine(Path.GetTempPath(), "harness-vd-ca-" + Guid.NewGuid().ToString("N"));
        var ca = CertificateAuthority.LoadOrCreate(caDirectory);
        var proxy = new InterceptingProxy(new InterceptingProxyOptions { CertificateAuthority = ca, UpstreamMode = UpstreamMode.Sinkhole });
        var rig = new BrowserRig(fixture, client, device, proxy, ca, caDirectory);
        proxy.FlowCompleted += session =>
        {
            rig._flows.Enqueue(session.Flow);
            rig._flowArrived.Release();
            return Task.CompletedTask;
        };
        await proxy.StartAsync(ct);
        return rig;
    }

    /// <summary>`adb install` of a virtual APK file, as a QA engineer installs a downloaded build.</summary>
    public async Task InstallAsync(BrowserVersion version, CancellationToken ct)
    {
        var path = Path.Combine(_caDirectory, version.ApkFileName);
        await File.WriteAllBytesAsync(path, version.BuildApk(), ct);
        await Client.InstallAsync(Serial, path, ct);
    }

    /// <summary>CA into the system store (HTTP Toolkit's tmpfs overlay, as root), adb reverse, and the global proxy.</summary>
    public async Task RouteThroughProxyAsync(CancellationToken ct)
    {
        var name = Authority.AndroidSystemStoreFileName;
        await Client.PushAsync(Serial, new MemoryStream(System.Text.Encoding.ASCII.GetBytes(Authority.ExportPem())), "/data/local/tmp/" + name, cancellationToken: ct);
        var store = VirtualAndroid.SystemCaDirectory;
        var install = await Client.ShellAsync(Serial,
            $"su -c \"mkdir -p /data/local/tmp/ca-copy && cp {store}/* /data/local/tmp/ca-copy/ && mount -t tmpfs tmpfs {store} && cp /data/local/tmp/ca-copy/* {store}/ && cp /data/local/tmp/{name} {store}/{name} && chmod 644 {store}/{name}\"", ct);
        Assert.That(install.ExitCode, Is.EqualTo(0), $"installing the CA failed: {install.Stdout}{install.Stderr}");
        await Client.CreateReverseAsync(Serial, $"tcp:{PhoneProxyPort}", $"tcp:{Proxy.LocalEndPoint.Port}", cancellationToken: ct);
        await Client.PutSettingAsync(Serial, SettingsNamespace.Global, "http_proxy", $"127.0.0.1:{PhoneProxyPort}", ct);
    }

    public async Task<BrowserDriver> AttachDriverAsync(BrowserFlavor flavor, CancellationToken ct)
    {
        var profile = BrowserProfileLoader.LoadFile(Path.Combine(RepositoryRoot(), "scenarios", "browsers", flavor.Id + ".yaml"));
        return await BrowserDriver.AttachAsync(new DeviceClientUi(Device), profile, new BrowserDriverOptions { PollInterval = TimeSpan.FromMilliseconds(50) }, ct);
    }

    /// <summary>Waits until the captured flows satisfy <paramref name="condition"/> (or fails after <paramref name="timeout"/>).</summary>
    public async Task<IReadOnlyList<Flow>> WaitForFlowsAsync(Func<IReadOnlyList<Flow>, bool> condition, TimeSpan timeout, string what, CancellationToken ct)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(timeout);
        while (true)
        {
            var flows = Flows;
            if (condition(flows)) return flows;
            try { await _flowArrived.WaitAsync(budget.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; captured:\n" + string.Join('\n', Flows.Select(Describe)));
            }
        }
    }

    public static string Describe(Flow f) => $"{f.Method} {f.Url ?? f.Host} -> {f.StatusCode?.ToString() ?? f.Error?.ToString() ?? f.Tls?.Outcome.ToString()}";

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Harness.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Fixture.DisposeAsync();
        Authority.Dispose();
        try { Directory.Delete(_caDirectory, recursive: true); } catch (IOException) { }
        _flowArrived.Dispose();
    }
}
