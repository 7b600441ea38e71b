using System.Net.Sockets;
using Harness.Flows;
using Harness.TestSupport;
using Harness.VirtualDevice.Browsers;
using Harness.VirtualDevice.Network;
using Harness.VirtualDevice.Tests.Telemetry;

namespace Harness.VirtualDevice.Tests.Browsers;

/// <summary>Faults switched on through the VirtualPhone API, observed the way the harness observes a real phone.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class BrowserFaultTests
{
    private static readonly BrowserVersion Leaky = BrowserCatalog.Find("mint@3.4.0")!;
    private PrivateAdbServer _adb = null!;

    [OneTimeSetUp]
    public async Task StartAdbAsync() => _adb = await PrivateAdbServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAdbAsync()
    {
        if (_adb != null) await _adb.DisposeAsync();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_pinned_telemetry_endpoint_refuses_the_proxy_CA_in_the_handshake(CancellationToken ct)
    {
        await using var rig = await BrowserRig.StartAsync(_adb, ct: ct);
        await rig.InstallAsync(Leaky, ct);
        await rig.RouteThroughProxyAsync(ct);
        rig.Phone.Faults.PinnedTelemetry = true;
        var driver = await rig.AttachDriverAsync(Leaky.Flavor, ct);
        await driver.LaunchAsync(ct);
        var url = $"https://pinned-{Guid.NewGuid():N}.example.org/";
        await driver.OpenUrlAsync(url, ct);

        var host = Leaky.Flavor.SensorsHost;
        // Under TLS 1.2 the refusal lands inside the proxy's handshake; under TLS 1.3 (Android 10+) the proxy has
        // finished its side when the client's alert arrives, so it records a connection aborted before any request.
        static bool Refused(Flow f) => f.Method is null or "CONNECT" && (f.Tls is { Outcome: not TlsOutcome.Intercepted } || f.Error != null);
        var flows = await rig.WaitForFlowsAsync(all => all.Any(f => f.Host == host && Refused(f)),
            TimeSpan.FromSeconds(15), "a refused handshake for the Sensors host", ct);
        Assert.Multiple(() =>
        {
            Assert.That(flows.Where(f => f.Host == host), Has.All.Matches<Flow>(Refused), "every connection to the pinned host was refused before a request");
            Assert.That(SensorsCapture.From(flows, host).Uploads, Is.Empty, "no Sensors body is seen");
            Assert.That(flows.Any(f => f.Url == url && f.Tls?.Outcome == TlsOutcome.Intercepted), Is.True, "the rest of the app still trusts the CA");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Telemetry_that_bypasses_the_proxy_reaches_the_stand_in_directly_and_shows_in_proc_net_tcp6_on_a_rooted_phone(CancellationToken ct)
    {
        await using var rig = await BrowserRig.StartAsync(_adb, rooted: true, ct: ct);
        await rig.InstallAsync(Leaky, ct);
        await rig.RouteThroughProxyAsync(ct);
        rig.Phone.Faults.TelemetryBypassesProxy = true;
        var driver = await rig.AttachDriverAsync(Leaky.Flavor, ct);
        await driver.LaunchAsync(ct);
        var url = $"https://bypass-{Guid.NewGuid():N}.example.org/";
        await driver.OpenUrlAsync(url, ct);

        var host = Leaky.Flavor.SensorsHost;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(TimeSpan.FromSeconds(15));
        var direct = await rig.Phone.Internet.WaitForRequestAsync(
            r => r.Host == host && r.Path == "/sa" && SensorsWireFormat.DecodeBody(r.BodyText).ToJsonString().Contains(url, StringComparison.Ordinal), budget.Token);
        var tcp6 = await rig.Client.ShellAsync(rig.Serial, "su -c cat /proc/net/tcp6", ct);
        var remote = ProcNetTcpFormatter.Ipv6Hex(rig.Phone.Internet.ResolveHost(host)) + ":01BB";
        Assert.Multiple(() =>
        {
            Assert.That(direct.Tls, Is.True);
            Assert.That(tcp6.Stdout, Does.Contain(remote), "the direct connection to the Sensors host's address is listed");
            Assert.That(rig.Flows.Any(f => f.Host == host && f.Url?.Contains("/sa?") == true), Is.False, "the proxy never saw the upload");
            Assert.That(rig.Flows.Any(f => f.Url == url), Is.True, "page loads still use the proxy");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task The_phone_itself_checks_connectivity_and_updates_through_a_newly_set_proxy(CancellationToken ct)
    {
        await using var rig = await BrowserRig.StartAsync(_adb, ct: ct);
        await rig.RouteThroughProxyAsync(ct);
        var flows = await rig.WaitForFlowsAsync(
            all => all.Any(f => f.Url == "http://connectivitycheck.gstatic.com/generate_204") && all.Any(f => f.Host == "update.miui.com" && f.Method == "GET"),
            TimeSpan.FromSeconds(15), "the connectivity check and the update check", ct);
        Assert.That(flows.First(f => f.Host == "update.miui.com").Url, Does.Contain("d=ginkgo"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task An_unrooted_phone_hides_proc_net_tcp_from_the_shell_user(CancellationToken ct)
    {
        await using var rig = await BrowserRig.StartAsync(_adb, rooted: false, ct: ct);
        var tcp = await rig.Client.ShellAsync(rig.Serial, "cat /proc/net/tcp6", ct);
        var su = await rig.Client.ShellAsync(rig.Serial, "su -c id", ct);
        Assert.That(tcp.ExitCode, Is.Not.EqualTo(0));
        Assert.That(tcp.Stderr + tcp.Stdout, Does.Contain("Permission denied"));
        Assert.That(su.ExitCode, Is.EqualTo(127), "no su on an unrooted phone");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Events_not_yet_uploaded_when_the_process_dies_are_sent_by_the_next_one(CancellationToken ct)
    {
        // A time factor of 100 puts the first process's flush 25 minutes away: nothing is uploaded before the crash.
        await using var rig = await BrowserRig.StartAsync(_adb, timeFactor: 100, ct: ct);
        await rig.InstallAsync(Leaky, ct);
        await rig.RouteThroughProxyAsync(ct);
        var driver = await rig.AttachDriverAsync(Leaky.Flavor, ct);
        await driver.LaunchAsync(ct);
        var url = $"https://before-crash-{Guid.NewGuid():N}.example.org/";
        await driver.OpenUrlAsync(url, ct);
        await rig.Phone.CrashAppAsync(Leaky.Flavor.Package, ct);
        Assert.That(SensorsCapture.From(rig.Flows, Leaky.Flavor.SensorsHost).Uploads, Is.Empty, "nothing was flushed before the crash");

        rig.Phone.Android.TimeFactor = 0.05;
        await driver.LaunchAsync(ct);
        var flows = await rig.WaitForFlowsAsync(all => SensorsCapture.From(all, Leaky.Flavor.SensorsHost).Has("page_load_event_finish", "url", url),
            TimeSpan.FromSeconds(15), "the earlier process's events", ct);
        Assert.That(SensorsCapture.From(flows, Leaky.Flavor.SensorsHost).Named("$AppStart").Count(), Is.EqualTo(2), "both processes' app starts");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_crashed_browser_leaves_the_launcher_in_front(CancellationToken ct)
    {
        await using var rig = await BrowserRig.StartAsync(_adb, ct: ct);
        await rig.InstallAsync(Leaky, ct);
        var driver = await rig.AttachDriverAsync(Leaky.Flavor, ct);
        await driver.LaunchAsync(ct);
        var package = Leaky.Flavor.Package;
        Assert.That((await rig.Client.ShellAsync(rig.Serial, "pidof " + package, ct)).ExitCode, Is.EqualTo(0));

        await rig.Phone.CrashAppAsync(package, ct);

        var screen = await rig.Device.DumpScreenAsync(ct);
        var pidof = await rig.Client.ShellAsync(rig.Serial, "pidof " + package, ct);
        var log = await rig.Device.LogcatDumpAsync(cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(screen.AllElements.Any(e => e.Package == package), Is.False, "the browser's screen is gone");
            Assert.That(screen.AllElements.Any(e => e.Package == rig.Phone.Android.Activities.LauncherPackage), Is.True, "the launcher shows");
            Assert.That(pidof.ExitCode, Is.Not.EqualTo(0), "the process is dead");
            Assert.That(log, Does.Contain("FATAL EXCEPTION"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_phone_that_drops_off_the_adb_server_can_come_back(CancellationToken ct)
    {
        await using var rig = await BrowserRig.StartAsync(_adb, ct: ct);
        await rig.Phone.DropAdbConnectionsAsync();
        var (_, devices, _) = await _adb.RunAdbAsync(ct, "devices");
        Assert.That(devices.Split('\n').Any(l => l.TrimEnd() == $"{rig.Serial}\tdevice"), Is.False, "the phone is no longer a usable device");

        rig.Phone.AllowReconnect();
        await _adb.RunAdbAsync(ct, "connect", rig.Serial);
        await rig.Fixture.WaitForStateAsync("device", ct);
        var echo = await rig.Client.ShellAsync(rig.Serial, "echo back", ct);
        Assert.That(echo.Stdout.Trim(), Is.EqualTo("back"));
    }
}
