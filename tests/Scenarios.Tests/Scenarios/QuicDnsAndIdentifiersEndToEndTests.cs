using Harness.Adb;
using Harness.Browsers;
using Harness.Proxy.Certificates;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Browsers;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>
/// QUIC and Private DNS on virtual phones through the real adb server. mibrowser@12.2.0 uploads its telemetry over
/// QUIC (UDP 443, past the HTTP proxy) unless the kernel drops the datagrams: on a rooted phone the session drops UDP
/// 443 for the browser's uid with iptables and ip6tables, the SDK falls back to TCP through the proxy and the 2020 leak
/// is captured; on an unrooted phone nothing can drop it, the QUIC socket is seen in /proc/net/udp and the case is
/// inconclusive, never pass. The rules are gone after the run and after recovery from a killed run, and Private DNS is
/// off during the session and put back after it. Identifiers as apps see them: on a rooted phone the IMEI and the
/// browser's own ANDROID_ID (SSAID) join the device-metadata check, so miuibrowser@13.1.0's SHA-256 of the IMEI to a
/// third party is a finding, while the model in every app's User-Agent is reported and not counted.
/// </summary>
[TestFixture, Category("EndToEnd"), NonParallelizable]
public sealed class QuicDnsAndIdentifiersEndToEndTests
{
    private const string IncognitoOnly = "incognito=on,enhanced-incognito=off";
    private const string QuicBuild = "mibrowser@12.2.0";
    private PrivateAdbServer _server = null!;
    private AdbClient _adb = null!;
    private CertificateAuthority _ca = null!;
    private VirtualInternet _internet = null!;
    private string _work = null!;
    private IReadOnlyList<BrowserProfile> _profiles = null!;
    private ScenarioScript _scenario = null!;
    private readonly List<VirtualPhoneFixture> _phones = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await PrivateAdbServer.StartAsync();
        _internet = VirtualInternet.Start();
        _adb = new AdbClient(new AdbClientOptions { Port = _server.Port, CommandTimeout = TimeSpan.FromSeconds(30) });
        _work = Path.Combine(Path.GetTempPath(), "harness-quic-e2e-" + Guid.NewGuid().ToString("N"));
        _ca = CertificateAuthority.LoadOrCreate(Path.Combine(_work, "ca"));
        _profiles = BrowserProfileLoader.LoadDirectory(RepositoryPaths.BrowsersDirectory);
        var script = ScenarioLoader.LoadDirectory(RepositoryPaths.ScenariosDirectory, knownBrowsers: _profiles.Select(p => p.Id).ToList()).Single(s => s.Name == "incognito-url");
        _scenario = script with { Modes = script.Modes.Where(m => m.Name == IncognitoOnly).ToList() };
        _deviceMetadata = ScenarioLoader.LoadDirectory(RepositoryPaths.ScenariosDirectory, knownBrowsers: _profiles.Select(p => p.Id).ToList()).Single(s => s.Name == "device-metadata");
    }

    private ScenarioScript _deviceMetadata = null!;

    [OneTimeTearDown]
    public async Task Stop()
    {
        foreach (var phone in _phones) await phone.DisposeAsync();
        if (_internet is not null) await _internet.DisposeAsync();
        _ca?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        if (_work is not null && Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    private async Task<VirtualPhoneFixture> StartPhoneAsync(string model, BrowserVersion version)
    {
        var phone = await VirtualPhoneFixture.StartAsync(_server, PhoneProfile.FindBuiltIn(model)!, new VirtualPhoneOptions { TimeFactor = 0.05, Internet = _internet });
        _phones.Add(phone);
        var apk = Path.Combine(_work, $"{phone.Phone.Port}-{version.ApkFileName}");
        await File.WriteAllBytesAsync(apk, version.BuildApk());
        await _adb.InstallAsync(phone.Serial, apk);
        return phone;
    }

    private DeviceSessionOptions SessionOptions(string name) => new()
    {
        CertificateAuthority = _ca,
        FlowDirectory = Path.Combine(_work, name, "flows"),
        SessionsDirectory = Path.Combine(_work, name, ".sessions"),
        RootProbeTimeout = TimeSpan.FromSeconds(5),
        SettingsProfilePath = Path.Combine(RepositoryPaths.ScenariosDirectory, "system", "android-settings.yaml"),
        SettingsDriverOptions = new BrowserDriverOptions { PollInterval = TimeSpan.FromMilliseconds(50) },
        Settings = LabUpstream.ForwardTo(_internet, Path.Combine(_work, name)),
    };

    private RackRunnerOptions RackOptions(string name) => new()
    {
        CertificateAuthority = _ca,
        Settings = LabUpstream.ForwardTo(_internet, Path.Combine(_work, name)),
        FlowsDirectory = Path.Combine(_work, name, "flows"),
        SessionsDirectory = Path.Combine(_work, name, ".sessions"),
        RootProbeTimeout = TimeSpan.FromSeconds(5),
        SettingsProfilePath = Path.Combine(RepositoryPaths.ScenariosDirectory, "system", "android-settings.yaml"),
        Run = new ScenarioRunOptions
        {
            SettleTime = TimeSpan.FromSeconds(2),
            WorkDirectory = Path.Combine(_work, name, "cases"),
            DriverOptions = new BrowserDriverOptions { PollInterval = TimeSpan.FromMilliseconds(100), StepTimeout = TimeSpan.FromSeconds(15) },
            ConnectionSampleInterval = TimeSpan.FromMilliseconds(20),
        },
    };

    private static string Describe(CaseResult r) =>
        $"{r.BrowserVersion}: {r.Verdict} ({r.Reason}); gaps: {string.Join(" | ", r.CoverageGaps)}; flows: {string.Join(", ", r.Flows.Select(f => $"{f.Method} {f.Host} {f.Tls?.Outcome}"))}";

    /// <summary>Both tables, as root: what `iptables -S` and `ip6tables -S` list.</summary>
    private async Task<string> FirewallAsync(string serial) =>
        (await _adb.ShellAsync(serial, "su -c 'iptables -S; ip6tables -S'")).Stdout;

    [Test]
    public async Task On_a_rooted_phone_QUIC_is_dropped_for_the_browser_the_upload_falls_back_to_the_proxy_and_the_leak_is_captured()
    {
        var phone = await StartPhoneAsync("Redmi K20", BrowserCatalog.Find(QuicBuild)!);
        await _adb.PutSettingAsync(phone.Serial, SettingsNamespace.Global, "private_dns_mode", "hostname");
        var uid = phone.Phone.Android.Packages.All.Single(p => p.PackageName == BrowserCatalog.MiBrowser.Package).Uid;
        var rack = new RackRunner(RackOptions("rooted"));
        string? duringRun = null;
        string? privateDnsDuringRun = null;
        rack.Progress += p =>
        {
            if (p.Kind != RackProgressKind.CaseStarted || duringRun is not null) return;
            duringRun = FirewallAsync(phone.Serial).GetAwaiter().GetResult();
            privateDnsDuringRun = _adb.GetSettingAsync(phone.Serial, SettingsNamespace.Global, "private_dns_mode").GetAwaiter().GetResult();
        };
        var result = await rack.RunAsync(_adb, [phone.Serial], [_scenario], _profiles.Where(p => p.Id == "mibrowser").ToList(), CancellationToken.None);
        var leak = result.Results.Single();
        TestContext.Out.WriteLine(Describe(leak));

        Assert.Multiple(() =>
        {
            Assert.That(leak.Verdict, Is.EqualTo(CaseVerdict.Fail), Describe(leak));
            Assert.That(leak.Findings.Select(f => f.Host), Has.Member(BrowserCatalog.MiBrowser.SensorsHost), "the canary in the Sensors upload that fell back to TCP");
            Assert.That(leak.CoverageGaps, Has.None.Contains("quic-connection"), "no QUIC left the phone");
            Assert.That(duringRun, Does.Contain($"-A OUTPUT -j {QuicBlock.Chain}"), "the jump during the run");
            Assert.That(duringRun, Does.Contain($"-A {QuicBlock.Chain} -p udp -m udp --dport 443 -m owner --uid-owner {uid} -m comment --comment {QuicBlock.Comment} -j DROP"));
            Assert.That(privateDnsDuringRun, Is.EqualTo("off"), "Private DNS during the run");
        });
        Assert.That(await FirewallAsync(phone.Serial), Does.Not.Contain(QuicBlock.Chain), "the rules are gone after the run");
        Assert.That(await _adb.GetSettingAsync(phone.Serial, SettingsNamespace.Global, "private_dns_mode"), Is.EqualTo("hostname"), "Private DNS put back");
        Assert.That(await _adb.GetSettingAsync(phone.Serial, SettingsNamespace.Global, "http_proxy"), Is.Null.Or.EqualTo(":0"));
    }

    [Test]
    public async Task On_an_unrooted_phone_QUIC_cannot_be_dropped_and_the_case_is_inconclusive_never_pass()
    {
        // Android 9 (Mi A1): the shell user may still read /proc/net, so the QUIC socket is seen without root. The build
        // trusts user CAs here, so that its TCP traffic is read and the QUIC upload is the only thing the case misses.
        var shipped = BrowserCatalog.Find(QuicBuild)!;
        var phone = await StartPhoneAsync("Mi A1", shipped with { Traits = shipped.Traits with { TrustsUserCertificates = true } });
        var session = await DeviceSession.PrepareAsync(_adb, phone.Serial, SessionOptions("unrooted"));
        CaseResult result;
        try
        {
            Assert.That(session.IsRooted, Is.False);
            Assert.That(session.SocketTablesReadable, Is.True, session.SocketTablesFact);
            var runner = new ScenarioRunner(RackOptions("unrooted").Run);
            var mibrowser = _profiles.Where(p => p.Id == "mibrowser").ToList();
            await runner.RecordDeviceAsync(session, mibrowser, CancellationToken.None);
            Assert.That(session.QuicBlockFact, Does.StartWith("not possible: phone not rooted"));
            var planned = await ScenarioRunner.PlanAsync(_adb, phone.Serial, [_scenario], mibrowser, CancellationToken.None);
            result = await runner.RunCaseAsync(session, planned.Single(), CancellationToken.None);
        }
        finally
        {
            await session.RestoreAsync();
        }
        TestContext.Out.WriteLine(Describe(result));
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), Describe(result));
            Assert.That(result.CoverageGaps, Has.Some.Contains("quic-connection").And.Contains("QUIC (UDP 443)"), Describe(result));
            Assert.That(result.Flows.Where(f => f.Host == BrowserCatalog.MiBrowser.SensorsHost && f.Method == "POST"), Is.Empty, "the uploads went over QUIC, not through the proxy");
            Assert.That(session.RestoreProblems, Is.Empty);
        });
    }

    [Test]
    public async Task The_QUIC_block_and_Private_DNS_of_a_killed_run_are_undone_at_the_next_start()
    {
        var phone = await StartPhoneAsync("Redmi K20", BrowserCatalog.Find(QuicBuild)!);
        var uid = phone.Phone.Android.Packages.All.Single(p => p.PackageName == BrowserCatalog.MiBrowser.Package).Uid;
        await _adb.PutSettingAsync(phone.Serial, SettingsNamespace.Global, "private_dns_mode", "opportunistic");
        var options = SessionOptions("killed");
        var orphan = await DeviceSession.PrepareAsync(_adb, phone.Serial, options);
        Assert.That(await orphan.BlockQuicAsync(new Dictionary<string, int> { [BrowserCatalog.MiBrowser.Package] = uid }, CancellationToken.None), Is.Null, orphan.QuicBlockFact);
        Assert.That(orphan.QuicBlockFact, Does.Contain($"uid {uid}").And.Contain(QuicBlock.Chain));
        Assert.That(await FirewallAsync(phone.Serial), Does.Contain($"--uid-owner {uid}"));
        Assert.That(phone.Phone.Android.Firewall.DropsOutgoing("udp", 443, uid) && phone.Phone.Android.Firewall6.DropsOutgoing("udp", 443, uid), Is.True, "the kernel drops it");
        Assert.That(await _adb.GetSettingAsync(phone.Serial, SettingsNamespace.Global, "private_dns_mode"), Is.EqualTo("off"));

        // The process is gone (SIGKILL): only the marker says what it added.
        var markerPath = SessionMarker.PathFor(options.SessionsDirectory, phone.Serial);
        var marker = SessionMarker.TryRead(markerPath)!;
        Assert.That(marker.QuicBlockChain, Is.EqualTo(QuicBlock.Chain));
        Assert.That(marker.QuicBlockedUids, Is.EqualTo(new[] { uid }));
        await (marker with { ProcessId = int.MaxValue - 1, ProcessStartedUtc = null }).WriteAsync(options.SessionsDirectory, CancellationToken.None);

        var outcome = (await DeviceSession.RecoverAsync(_adb, options.SessionsDirectory)).Single();

        Assert.That(outcome.Restored, Is.True, outcome.Detail);
        Assert.That(outcome.Detail, Does.Contain($"UDP 443 block for uid {uid} removed"));
        Assert.That(await FirewallAsync(phone.Serial), Does.Not.Contain(QuicBlock.Chain), "the rules are gone after recovery");
        Assert.That(phone.Phone.Android.Firewall.DropsOutgoing("udp", 443, uid), Is.False);
        Assert.That(await _adb.GetSettingAsync(phone.Serial, SettingsNamespace.Global, "private_dns_mode"), Is.EqualTo("opportunistic"), "Private DNS put back");
        Assert.That(File.Exists(markerPath), Is.False);
        await orphan.DisposeAsync();
    }

    [Test]
    public async Task A_DNS_over_TLS_connection_seen_during_a_case_makes_it_inconclusive_and_Private_DNS_is_put_back()
    {
        // Something turns strict Private DNS on mid-case (a user, an MDM): netd's DNS-over-TLS connection carries every
        // lookup past the proxy, and the case cannot pass.
        var phone = await StartPhoneAsync("Redmi K20", BrowserCatalog.Find("mint@3.4.3")!);
        var rack = new RackRunner(RackOptions("dot"));
        var switched = 0;
        rack.Progress += p =>
        {
            if (p.Kind != RackProgressKind.CaseStarted || Interlocked.Exchange(ref switched, 1) == 1) return;
            Assert.That(_adb.GetSettingAsync(phone.Serial, SettingsNamespace.Global, "private_dns_mode").GetAwaiter().GetResult(), Is.EqualTo("off"), "off for the session");
            _adb.PutSettingAsync(phone.Serial, SettingsNamespace.Global, "private_dns_specifier", "dns.resolver.example").GetAwaiter().GetResult();
            _adb.PutSettingAsync(phone.Serial, SettingsNamespace.Global, "private_dns_mode", "hostname").GetAwaiter().GetResult();
        };
        var result = await rack.RunAsync(_adb, [phone.Serial], [_scenario], _profiles.Where(p => p.Id == "mint").ToList(), CancellationToken.None);
        var dot = result.Results.Single();
        TestContext.Out.WriteLine(Describe(dot));

        Assert.That(dot.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), Describe(dot));
        Assert.That(dot.CoverageGaps, Has.Some.StartsWith("dns-over-tls").And.Contains("DNS-over-TLS (TCP 853)").And.Contains("uid 0"), Describe(dot));
        Assert.That(await _adb.GetSettingAsync(phone.Serial, SettingsNamespace.Global, "private_dns_mode"), Is.Null, "put back as found: unset");
    }

    [Test]
    public async Task On_a_rooted_phone_the_IMEI_hash_sent_to_a_third_party_is_a_device_metadata_finding()
    {
        var phone = await StartPhoneAsync("Redmi K20", BrowserCatalog.Find("miuibrowser@13.1.0")!);
        var android = phone.Phone.Android;
        var rack = new RackRunner(RackOptions("imei"));
        var result = await rack.RunAsync(_adb, [phone.Serial], [_deviceMetadata], _profiles.Where(p => p.Id == "miuibrowser").ToList(), CancellationToken.None);
        var metadata = result.Results.Single();
        TestContext.Out.WriteLine(Describe(metadata));
        var imeiHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(android.Imei))).ToLowerInvariant();

        Assert.Multiple(() =>
        {
            Assert.That(metadata.Verdict, Is.EqualTo(CaseVerdict.Fail), Describe(metadata));
            Assert.That(metadata.DeviceMetadata["imei"], Is.EqualTo(android.Imei), "read with service call iphonesubinfo as root");
            Assert.That(metadata.DeviceMetadata["ssaid"], Is.EqualTo(android.SsaidOf(BrowserCatalog.MiuiChina.Package)), "the browser's own ANDROID_ID from settings_ssaid.xml");
            var imei = metadata.DeviceMetadataFindings.Where(f => f.Name == "imei (sha256, hex)").ToList();
            Assert.That(imei.Select(f => (f.Host, f.Value)), Has.Member((BrowserCatalog.ImeiHashCollector, imeiHash)), Describe(metadata));
            Assert.That(metadata.Reason, Does.Not.Contain("first: model"), "the model in the User-Agent is not the scenario's finding");
            Assert.That(metadata.Reason, Does.Contain("in every app's User-Agent: not counted"));
        });
    }

    [Test]
    public async Task On_Android_12_and_later_settings_ssaid_xml_is_binary_XML_and_said_to_be_unreadable()
    {
        var phone = await StartPhoneAsync("Mi 10", BrowserCatalog.Find("miuibrowser@13.1.0")!);
        var session = await DeviceSession.PrepareAsync(_adb, phone.Serial, SessionOptions("abx"));
        try
        {
            Assert.That(session.IdentifiersFact, Does.Contain("binary XML (ABX, Android 12+)").And.Contain("per-app ANDROID_IDs not read"));
            Assert.That(session.DeviceMetadata["imei"], Is.EqualTo(phone.Phone.Android.Imei), "the IMEI is read all the same");
            Assert.That(session.MetadataFor(BrowserCatalog.MiuiChina.Package).ContainsKey("ssaid"), Is.False);
        }
        finally
        {
            await session.RestoreAsync();
        }
    }
}
