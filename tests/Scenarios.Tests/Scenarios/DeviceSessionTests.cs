using Harness.Adb;
using Harness.Browsers;
using Harness.Proxy.Certificates;
using Harness.TestSupport;
using Harness.VirtualDevice.Apps;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>
/// DeviceSession against virtual phones through the real adb server: preparation (root probe, CA in the system store
/// and the Android 14 APEX, or in the user store through Settings on an unrooted phone; reverse, http_proxy, marker),
/// restore, re-asserting a dropped reverse, recovery of a killed run's leftovers (a user CA included), and restore
/// after a run cancelled midway (on the notes app; no browser needed).
/// </summary>
[TestFixture, Category("Integration")]
public sealed class DeviceSessionTests
{
    private PrivateAdbServer _server = null!;
    private VirtualPhoneFixture _rooted = null!;
    private VirtualPhoneFixture _plain = null!;
    private AdbClient _adb = null!;
    private CertificateAuthority _ca = null!;
    private string _work = null!;

    [OneTimeSetUp]
    public async Task StartPhones()
    {
        _server = await PrivateAdbServer.StartAsync();
        _rooted = await VirtualPhoneFixture.StartAsync(_server, "Mi 10");
        _plain = await VirtualPhoneFixture.StartAsync(_server, "Redmi Note 8");
        _adb = new AdbClient(new AdbClientOptions { Port = _server.Port, CommandTimeout = TimeSpan.FromSeconds(30) });
        _work = Path.Combine(Path.GetTempPath(), "harness-session-tests-" + Guid.NewGuid().ToString("N"));
        _ca = CertificateAuthority.LoadOrCreate(Path.Combine(_work, "ca"));
        var apk = Path.Combine(_work, "notes.apk");
        VirtualApk.Write(apk, NotesApp.Manifest("1.2", 12));
        await _adb.InstallAsync(_rooted.Serial, apk);
    }

    [OneTimeTearDown]
    public async Task StopPhones()
    {
        _ca?.Dispose();
        if (_rooted is not null) await _rooted.DisposeAsync();
        if (_plain is not null) await _plain.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        if (_work is not null && Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    private static string SettingsProfilePath => Path.Combine(RepositoryPaths.ScenariosDirectory, "system", "android-settings.yaml");

    private static readonly BrowserDriverOptions FastUi = new() { PollInterval = TimeSpan.FromMilliseconds(50), StepTimeout = TimeSpan.FromSeconds(5), TapCheckTimeout = TimeSpan.FromSeconds(2) };

    private DeviceSessionOptions Options(string name) => new()
    {
        CertificateAuthority = _ca,
        FlowDirectory = Path.Combine(_work, name, "flows"),
        SessionsDirectory = Path.Combine(_work, name, ".sessions"),
        RootProbeTimeout = TimeSpan.FromSeconds(5),
        SettingsProfilePath = SettingsProfilePath,
        SettingsDriverOptions = FastUi,
        Settings = LabUpstream.ForwardTo(_plain.Phone.Internet, Path.Combine(_work, name)),
    };

    private string PushedPath => $"/sdcard/Download/harness-ca-{_ca.SubjectHashOld}.crt";

    private async Task<bool> PushedFileExistsAsync(string serial) => (await _adb.ShellAsync(serial, "ls " + PushedPath)).ExitCode == 0;

    private async Task AssertRestoredAsync(string serial, string sessions)
    {
        var proxy = await _adb.GetSettingAsync(serial, SettingsNamespace.Global, "http_proxy");
        Assert.That(proxy, Is.Null.Or.EqualTo(":0"), "the phone still points at a proxy");
        Assert.That(await _adb.ListReversesAsync(serial), Is.Empty, "reverse forwards remain");
        Assert.That(SessionMarker.ReadAll(sessions), Is.Empty, "the session marker was not removed");
    }

    [Test]
    public async Task A_rooted_android_14_phone_gets_the_CA_in_both_stores_and_is_restored()
    {
        var options = Options("rooted");
        var session = await DeviceSession.PrepareAsync(_adb, _rooted.Serial, options);
        try
        {
            Assert.That(session.IsRooted, Is.True);
            Assert.That(session.CaInSystemStore, Is.True, string.Join("; ", session.CoverageLimits));
            Assert.That(session.CoverageLimits, Is.Empty);
            var file = _ca.AndroidSystemStoreFileName;
            Assert.That((await _adb.ShellAsync(_rooted.Serial, $"ls /system/etc/security/cacerts/{file}")).ExitCode, Is.EqualTo(0));
            Assert.That((await _adb.ShellAsync(_rooted.Serial, $"ls /apex/com.android.conscrypt/cacerts/{file}")).ExitCode, Is.EqualTo(0));
            Assert.That(await _adb.GetSettingAsync(_rooted.Serial, SettingsNamespace.Global, "http_proxy"), Is.EqualTo($"127.0.0.1:{session.ProxyPort}"));
            Assert.That((await _adb.ListReversesAsync(_rooted.Serial)).Select(r => (r.Remote, r.Local)), Does.Contain(($"tcp:{session.ProxyPort}", $"tcp:{session.ProxyPort}")));
            var marker = SessionMarker.ReadAll(options.SessionsDirectory).Single().Marker!;
            Assert.That((marker.Serial, marker.ProxyPort, marker.CaInjected), Is.EqualTo((_rooted.Serial, session.ProxyPort, true)));
            Assert.That(session.DeviceMetadata.Keys, Does.Contain("android_id").And.Contain("model"));
        }
        finally
        {
            await session.RestoreAsync();
        }
        await AssertRestoredAsync(_rooted.Serial, options.SessionsDirectory);
    }

    [Test]
    public async Task A_phone_without_root_gets_the_CA_in_its_user_store_through_Settings_and_loses_it_on_restore()
    {
        var options = Options("plain");
        var session = await DeviceSession.PrepareAsync(_adb, _plain.Serial, options);
        try
        {
            Assert.That(session.IsRooted, Is.False);
            Assert.That(session.CaInSystemStore, Is.False);
            Assert.That(session.CaInUserStore, Is.True, session.UserCaProblem);
            Assert.That(session.CoverageLimits, Is.EqualTo(new[] { DeviceSession.UserStoreOnlyLimit }));
            Assert.That(_plain.Phone.Android.UserCaCertificates().Select(f => f.Key), Is.EqualTo(new[] { _ca.AndroidSystemStoreFileName }));
            Assert.That(_plain.Phone.Android.SystemCaCertificates().Select(f => f.Key), Does.Not.Contain(_ca.AndroidSystemStoreFileName));
            Assert.That(await PushedFileExistsAsync(_plain.Serial), Is.True, "the CA file was pushed to shared storage");
            var marker = SessionMarker.ReadAll(options.SessionsDirectory).Single().Marker!;
            Assert.That((marker.UserCaFile, marker.UserCaName, marker.CaInjected), Is.EqualTo((PushedPath, "Harness Interception CA", false)));
            // Settings was closed again: the next case starts its browser from a clean front.
            Assert.That(_plain.Phone.Android.Activities.Foreground, Is.Null);
            Assert.That(await _adb.GetSettingAsync(_plain.Serial, SettingsNamespace.Global, "http_proxy"), Is.EqualTo($"127.0.0.1:{session.ProxyPort}"));
        }
        finally
        {
            await session.RestoreAsync();
        }
        Assert.That(session.RestoreProblems, Is.Empty);
        Assert.That(_plain.Phone.Android.UserCaCertificates(), Is.Empty, "restore removed the CA through Settings");
        Assert.That(await PushedFileExistsAsync(_plain.Serial), Is.False, "restore deleted the pushed file");
        await AssertRestoredAsync(_plain.Serial, options.SessionsDirectory);
    }

    [Test]
    public async Task A_failed_user_store_install_leaves_the_session_running_with_the_reason_in_the_limit()
    {
        var options = Options("no-profile");
        var missing = Path.Combine(_work, "no-such-settings.yaml");
        await using (var session = await DeviceSession.PrepareAsync(_adb, _plain.Serial, new DeviceSessionOptions
        {
            CertificateAuthority = _ca,
            FlowDirectory = options.FlowDirectory,
            SessionsDirectory = options.SessionsDirectory,
            RootProbeTimeout = options.RootProbeTimeout,
            SettingsProfilePath = missing,
        }))
        {
            Assert.That(session.CaInUserStore, Is.False);
            Assert.That(session.UserCaProblem, Does.Contain("no Settings profile"));
            Assert.That(session.CoverageLimits.Single(), Does.StartWith("CA in no trust store (phone not rooted; user-store install through Settings failed:").And.Contain(missing));
            Assert.That(_plain.Phone.Android.UserCaCertificates(), Is.Empty);
            Assert.That(await _adb.GetSettingAsync(_plain.Serial, SettingsNamespace.Global, "http_proxy"), Is.EqualTo($"127.0.0.1:{session.ProxyPort}"), "the session still runs");
        }
        await AssertRestoredAsync(_plain.Serial, options.SessionsDirectory);
    }

    [Test]
    public async Task A_Settings_recipe_that_fails_on_the_phone_is_reported_in_the_limit()
    {
        // A profile whose labels this phone does not show (a vendor skin): the first step fails, with its screen.
        var yaml = (await File.ReadAllTextAsync(SettingsProfilePath)).Replace("\"Encryption & credentials\"", "\"Passwords & security\"");
        var skinned = BrowserProfileLoader.Parse(yaml, "skinned-settings.yaml");
        var options = Options("skinned");
        var session = await DeviceSession.PrepareAsync(_adb, _plain.Serial, new DeviceSessionOptions
        {
            CertificateAuthority = _ca,
            FlowDirectory = options.FlowDirectory,
            SessionsDirectory = options.SessionsDirectory,
            RootProbeTimeout = options.RootProbeTimeout,
            SettingsProfile = skinned,
            SettingsDriverOptions = new BrowserDriverOptions { PollInterval = TimeSpan.FromMilliseconds(50), StepTimeout = TimeSpan.FromSeconds(1), TapCheckTimeout = TimeSpan.FromSeconds(1) },
        });
        try
        {
            Assert.That(session.CaInUserStore, Is.False);
            Assert.That(session.UserCaProblem, Does.Contain("android-settings user-ca-state").And.Contain("skinned-settings.yaml"));
            Assert.That(session.UserCaFailedStep?.UiDumpXml, Does.Contain("Encryption &amp; credentials"), "the screen the step looked at is kept");
            Assert.That(session.UserCaFailedStep?.ScreenshotPng, Is.Not.Null);
            Assert.That(session.CoverageLimits.Single(), Does.Contain("user-store install through Settings failed").And.Contain("wait-for encryption-credentials present"));
        }
        finally
        {
            await session.RestoreAsync();
        }
        // Restore cannot confirm the CA is gone with a profile that cannot read Trusted credentials: it says so and keeps the marker.
        Assert.That(session.RestoreProblems, Has.Some.Contains("from the user store"));
        Assert.That(SessionMarker.ReadAll(options.SessionsDirectory).Single().Marker!.UserCaName, Is.EqualTo("Harness Interception CA"));
        Assert.That(await _adb.GetSettingAsync(_plain.Serial, SettingsNamespace.Global, "http_proxy"), Is.EqualTo(":0"));
        Assert.That(_plain.Phone.Android.UserCaCertificates(), Is.Empty);
        Assert.That(await PushedFileExistsAsync(_plain.Serial), Is.False, "the pushed file is deleted even when the install failed");
    }

    [Test]
    public async Task Preparation_cancelled_after_the_user_CA_landed_restores_the_phone_without_it()
    {
        var options = Options("cancel-prepare");
        using var cancel = new CancellationTokenSource();
        var android = _plain.Phone.Android;
        // Every adb answer waits a little, so the read-back after the install is still running when the CA lands.
        _plain.Phone.SetResponseDelay(TimeSpan.FromMilliseconds(40));
        var watcher = Task.Run(async () =>
        {
            while (!cancel.IsCancellationRequested && android.UserCaCertificates().Count == 0) await Task.Delay(2);
            cancel.Cancel();
            _plain.Phone.SetResponseDelay(TimeSpan.Zero);
        });
        try
        {
            Assert.That(async () => await DeviceSession.PrepareAsync(_adb, _plain.Serial, options, cancel.Token), Throws.InstanceOf<OperationCanceledException>());
        }
        finally
        {
            await cancel.CancelAsync();
            await watcher;
            _plain.Phone.SetResponseDelay(TimeSpan.Zero);
        }
        Assert.That(android.UserCaCertificates(), Is.Empty, "the CA installed before the cancel was removed");
        Assert.That(await PushedFileExistsAsync(_plain.Serial), Is.False);
        await AssertRestoredAsync(_plain.Serial, options.SessionsDirectory);
    }

    [Test]
    public async Task A_user_CA_left_by_a_killed_run_is_removed_through_Settings_at_the_next_start()
    {
        var sessions = Path.Combine(_work, "killed-user-ca", ".sessions");
        // What a run killed after the user-store install leaves: the CA in the user store, its pushed file, the routing and the marker.
        await PushCaAsync(_plain.Serial);
        var driver = await BrowserDriver.AttachAsync(new DeviceClientUi(await DeviceAsync(_plain.Serial)), BrowserProfileLoader.LoadFile(SettingsProfilePath), FastUi);
        await driver.LaunchAsync();
        await driver.RunAsync(BrowserAction.InstallUserCa, new ActionArguments(File: Path.GetFileName(PushedPath), Certificate: "Harness Interception CA"));
        await _adb.ShellAsync(_plain.Serial, "am force-stop com.android.settings");
        Assert.That(_plain.Phone.Android.UserCaCertificates(), Has.Count.EqualTo(1));
        await _adb.CreateReverseAsync(_plain.Serial, "tcp:47124", "tcp:47124");
        await _adb.PutSettingAsync(_plain.Serial, SettingsNamespace.Global, "http_proxy", "127.0.0.1:47124");
        await KilledRunMarker(47124).WriteAsync(sessions, CancellationToken.None);

        var outcome = (await DeviceSession.RecoverAsync(_adb, sessions, settingsProfilePath: SettingsProfilePath)).Single();

        Assert.That(outcome.Restored, Is.True, outcome.Detail);
        Assert.That(outcome.Detail, Does.Contain("Harness Interception CA").And.Contain(PushedPath + " deleted"));
        Assert.That(_plain.Phone.Android.UserCaCertificates(), Is.Empty);
        Assert.That(await PushedFileExistsAsync(_plain.Serial), Is.False);
        await AssertRestoredAsync(_plain.Serial, sessions);
    }

    [Test]
    public async Task Without_the_Settings_profile_recovery_reports_where_to_remove_the_user_CA()
    {
        var sessions = Path.Combine(_work, "killed-user-ca-report", ".sessions");
        await PushCaAsync(_plain.Serial);
        await KilledRunMarker(47125).WriteAsync(sessions, CancellationToken.None);

        var outcome = (await DeviceSession.RecoverAsync(_adb, sessions, settingsProfilePath: Path.Combine(_work, "missing.yaml"))).Single();

        Assert.That(outcome.Restored, Is.True, outcome.Detail);
        Assert.That(outcome.Detail, Does.Contain("\"Harness Interception CA\" may still be installed").And.Contain("Trusted credentials > User"));
        Assert.That(await PushedFileExistsAsync(_plain.Serial), Is.False);
    }

    private SessionMarker KilledRunMarker(int port) => new()
    {
        Serial = _plain.Serial,
        ProxyPort = port,
        StartedUtc = DateTimeOffset.UtcNow.AddMinutes(-5),
        ProcessId = int.MaxValue - 1, // no such process
        UserCaFile = PushedPath,
        UserCaName = "Harness Interception CA",
    };

    private async Task PushCaAsync(string serial)
    {
        using var pem = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(_ca.ExportPem()));
        await _adb.PushAsync(serial, pem, PushedPath);
    }

    private async Task<DeviceClient> DeviceAsync(string serial) => new(_adb, await _adb.GetDeviceAsync(serial)) { PollInterval = TimeSpan.FromMilliseconds(50) };

    [Test]
    public async Task A_fixed_proxy_port_is_the_one_the_phone_is_pointed_at()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        var sessions = Path.Combine(_work, "fixed-port", ".sessions");
        await using (var session = await DeviceSession.PrepareAsync(_adb, _plain.Serial, new DeviceSessionOptions
        {
            CertificateAuthority = _ca,
            FlowDirectory = Path.Combine(_work, "fixed-port", "flows"),
            SessionsDirectory = sessions,
            RootProbeTimeout = TimeSpan.FromSeconds(5),
            ProxyPort = port,
        }))
        {
            Assert.That(session.ProxyPort, Is.EqualTo(port));
            Assert.That(await _adb.GetSettingAsync(_plain.Serial, SettingsNamespace.Global, "http_proxy"), Is.EqualTo($"127.0.0.1:{port}"));
            Assert.That((await _adb.ListReversesAsync(_plain.Serial)).Select(r => r.Remote), Does.Contain($"tcp:{port}"));
        }
        await AssertRestoredAsync(_plain.Serial, sessions);
    }

    [Test]
    public async Task A_dropped_reverse_is_re_asserted_before_the_next_case()
    {
        var options = Options("reassert");
        await using var session = await DeviceSession.PrepareAsync(_adb, _plain.Serial, options);
        // The phone loses its listeners as when adbd restarts. Not `adb reverse --remove-all` while the phone's
        // connectivity check may be using the tunnel: adb 29's server aborts on a reverse OPEN it has just forgotten.
        _plain.Phone.Android.ReverseForwards.ClearAll();
        await _adb.PutSettingAsync(_plain.Serial, SettingsNamespace.Global, "http_proxy", ":0");
        var repaired = await session.EnsureRoutedAsync(CancellationToken.None);
        Assert.That(repaired, Has.Count.EqualTo(2));
        Assert.That((await _adb.ListReversesAsync(_plain.Serial)).Select(r => r.Remote), Does.Contain($"tcp:{session.ProxyPort}"));
        Assert.That(await session.EnsureRoutedAsync(CancellationToken.None), Is.Empty, "nothing to repair the second time");
    }

    [Test]
    public async Task Leftovers_of_a_killed_run_are_undone_at_the_next_start()
    {
        var sessions = Path.Combine(_work, "killed", ".sessions");
        // What a run killed with SIGKILL leaves: the phone routed to a proxy that is gone, and the marker.
        await _adb.CreateReverseAsync(_plain.Serial, "tcp:47123", "tcp:47123");
        await _adb.PutSettingAsync(_plain.Serial, SettingsNamespace.Global, "http_proxy", "127.0.0.1:47123");
        await new SessionMarker
        {
            Serial = _plain.Serial,
            ProxyPort = 47123,
            StartedUtc = DateTimeOffset.UtcNow.AddMinutes(-5),
            ProcessId = int.MaxValue - 1, // no such process
            Packages = ["com.example.notes"],
        }.WriteAsync(sessions, CancellationToken.None);

        var outcomes = await DeviceSession.RecoverAsync(_adb, sessions);

        Assert.That(outcomes.Single().Restored, Is.True, outcomes.Single().Detail);
        await AssertRestoredAsync(_plain.Serial, sessions);
    }

    [Test]
    public async Task A_proxy_of_the_phones_own_is_put_back_after_the_run_and_after_recovery_from_a_killed_run()
    {
        // A lab phone that goes through a proxy of its own (say a Squid on 3128) must get it back, not ":0".
        const string own = "127.0.0.1:3128";
        var serial = _rooted.Serial;
        await _adb.PutSettingAsync(serial, SettingsNamespace.Global, "http_proxy", own);
        try
        {
            var run = Options("own-proxy-run");
            await using (var session = await DeviceSession.PrepareAsync(_adb, serial, run))
                Assert.That(await _adb.GetSettingAsync(serial, SettingsNamespace.Global, "http_proxy"), Is.EqualTo($"127.0.0.1:{session.ProxyPort}"), "routed during the run");
            Assert.That(await _adb.GetSettingAsync(serial, SettingsNamespace.Global, "http_proxy"), Is.EqualTo(own), "after the run");
            Assert.That(await _adb.ListReversesAsync(serial), Is.Empty);

            // A killed run: its session prepared (the marker records the phone's own proxy), then the process gone.
            var killed = Options("own-proxy-killed");
            var orphan = await DeviceSession.PrepareAsync(_adb, serial, killed);
            var markerPath = SessionMarker.PathFor(killed.SessionsDirectory, serial);
            var marker = SessionMarker.TryRead(markerPath)!;
            Assert.That(marker.PreviousHttpProxy, Is.EqualTo(own));
            await (marker with { ProcessId = int.MaxValue - 1, ProcessStartedUtc = null }).WriteAsync(killed.SessionsDirectory, CancellationToken.None);

            var outcome = (await DeviceSession.RecoverAsync(_adb, killed.SessionsDirectory)).Single();

            Assert.That(outcome.Restored, Is.True, outcome.Detail);
            Assert.That(outcome.Detail, Does.Contain($"put back to {own}"));
            Assert.That(await _adb.GetSettingAsync(serial, SettingsNamespace.Global, "http_proxy"), Is.EqualTo(own), "after recovery");
            Assert.That(await _adb.ListReversesAsync(serial), Is.Empty);
            Assert.That(File.Exists(markerPath), Is.False);
            await orphan.DisposeAsync();
        }
        finally
        {
            await _adb.PutSettingAsync(serial, SettingsNamespace.Global, "http_proxy", ":0");
        }
    }

    [Test]
    public async Task A_marker_of_a_live_run_is_left_alone()
    {
        var sessions = Path.Combine(_work, "alive", ".sessions");
        await SessionMarker.ForThisProcess("no-such-serial", null, 1234, null, DateTimeOffset.UtcNow).WriteAsync(sessions, CancellationToken.None);
        var outcome = (await DeviceSession.RecoverAsync(_adb, sessions)).Single();
        Assert.That(outcome.Restored, Is.False);
        Assert.That(outcome.Detail, Does.Contain("running harness"));
        Assert.That(SessionMarker.ReadAll(sessions), Has.Count.EqualTo(1));
    }

    private const string NotesProfile = """
        id: notes
        name: Notes
        package: com.example.notes
        user-agent: "Notes/"
        languages: [en, es]
        selectors:
          input: { id: note_input }
        recipes:
          search:
            - tap: input
        versions:
          - range: ">=1.0 <2.0"
            actions: [search]
        """;

    [Test]
    public async Task A_run_cancelled_midway_leaves_the_phone_restored()
    {
        var profile = BrowserProfileLoader.Parse(NotesProfile, "notes.yaml");
        var scenario = ScenarioLoader.Parse("""
            name: long-wait
            claim: the run is cancelled before this ends
            steps: [clear-data, launch, { wait-telemetry: 5m }]
            expectations: [no-device-metadata]
            """, "long-wait.yaml");
        var options = Options("cancel");
        var rack = new RackRunner(new RackRunnerOptions
        {
            CertificateAuthority = _ca,
            FlowsDirectory = Path.Combine(_work, "cancel", "flows"),
            SessionsDirectory = options.SessionsDirectory,
            Settings = LabUpstream.ForwardTo(_rooted.Phone.Internet, Path.Combine(_work, "cancel")),
            Run = new ScenarioRunOptions { WorkDirectory = Path.Combine(_work, "cancel", "cases"), DriverOptions = new BrowserDriverOptions { LaunchTimeout = TimeSpan.FromSeconds(20) } },
        });
        using var cancel = new CancellationTokenSource();
        var events = new List<RackProgress>();
        var routedDuringRun = false;
        rack.Progress += progress =>
        {
            lock (events) events.Add(progress);
            if (progress.Kind == RackProgressKind.CaseStarted) cancel.CancelAfter(TimeSpan.FromSeconds(3));
        };
        var run = rack.RunAsync(_adb, [_rooted.Serial], [scenario], [profile], cancel.Token);
        // While the case waits, the phone is routed to the session's proxy.
        while (!run.IsCompleted && !routedDuringRun)
        {
            routedDuringRun = (await _adb.GetSettingAsync(_rooted.Serial, SettingsNamespace.Global, "http_proxy"))?.StartsWith("127.0.0.1:", StringComparison.Ordinal) == true;
            if (!routedDuringRun) await Task.Delay(100);
        }
        Assert.That(routedDuringRun, Is.True, "the phone was never routed to the proxy");
        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        lock (events)
        {
            Assert.That(events.Select(e => e.Kind), Does.Contain(RackProgressKind.CaseStarted).And.Contain(RackProgressKind.DeviceRestored));
            Assert.That(events.Select(e => e.Kind), Does.Not.Contain(RackProgressKind.CaseFinished));
        }
        await AssertRestoredAsync(_rooted.Serial, options.SessionsDirectory);
    }
}
