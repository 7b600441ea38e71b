using Harness.Adb;
using Harness.Browsers;
using Harness.Flows;
using Harness.Proxy.Certificates;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Browsers;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>
/// The incognito-URL scenario on UNROOTED virtual phones through the real adb server: DeviceSession installs the
/// proxy CA into the user store through Settings, and ScenarioRunner judges what the proxy captured. A test-only
/// browser build whose network security config trusts user CAs is intercepted over HTTPS (leaky → fail, fixed → pass,
/// both carrying the user-store limit); a shipped build trusts the system store only, so its telemetry cannot be read
/// and the case stays inconclusive, never pass.
/// </summary>
[TestFixture, Category("EndToEnd"), NonParallelizable]
public sealed class UnrootedUserCaEndToEndTests
{
    private const string IncognitoOnly = "incognito=on,enhanced-incognito=off";
    private PrivateAdbServer _server = null!;
    private AdbClient _adb = null!;
    private CertificateAuthority _ca = null!;
    private string _work = null!;
    private BrowserProfile _mint = null!;
    private ScenarioScript _scenario = null!;
    private readonly List<VirtualPhoneFixture> _phones = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await PrivateAdbServer.StartAsync();
        _adb = new AdbClient(new AdbClientOptions { Port = _server.Port, CommandTimeout = TimeSpan.FromSeconds(30) });
        _work = Path.Combine(Path.GetTempPath(), "harness-user-ca-e2e-" + Guid.NewGuid().ToString("N"));
        _ca = CertificateAuthority.LoadOrCreate(Path.Combine(_work, "ca"));
        var profiles = BrowserProfileLoader.LoadDirectory(RepositoryPaths.BrowsersDirectory);
        _mint = profiles.Single(p => p.Id == "mint");
        var script = ScenarioLoader.LoadDirectory(RepositoryPaths.ScenariosDirectory, knownBrowsers: profiles.Select(p => p.Id).ToList()).Single(s => s.Name == "incognito-url");
        _scenario = script with { Modes = script.Modes.Where(m => m.Name == IncognitoOnly).ToList() };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        foreach (var phone in _phones) await phone.DisposeAsync();
        _ca?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        if (_work is not null && Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    /// <summary>An unrooted Redmi Note 8 with one build of Mint installed from a virtual APK.</summary>
    private async Task<VirtualPhoneFixture> StartPhoneAsync(BrowserVersion version)
    {
        var profile = PhoneProfile.FindBuiltIn("Redmi Note 8")!;
        Assert.That(profile.Rooted, Is.False);
        var phone = await VirtualPhoneFixture.StartAsync(_server, profile, new VirtualPhoneOptions { TimeFactor = 0.05 });
        _phones.Add(phone);
        var apk = Path.Combine(_work, $"{phone.Phone.Port}-{version.ApkFileName}");
        await File.WriteAllBytesAsync(apk, version.BuildApk());
        await _adb.InstallAsync(phone.Serial, apk);
        return phone;
    }

    private static BrowserVersion TrustingUserCas(string name)
    {
        var shipped = BrowserCatalog.Find(name)!;
        return shipped with { Traits = shipped.Traits with { TrustsUserCertificates = true } };
    }

    private async Task<(CaseResult Result, DeviceSession Session)> RunAsync(VirtualPhoneFixture phone, string name)
    {
        var session = await DeviceSession.PrepareAsync(_adb, phone.Serial, new DeviceSessionOptions
        {
            CertificateAuthority = _ca,
            FlowDirectory = Path.Combine(_work, name, "flows"),
            SessionsDirectory = Path.Combine(_work, name, ".sessions"),
            RootProbeTimeout = TimeSpan.FromSeconds(5),
            SettingsProfilePath = Path.Combine(RepositoryPaths.ScenariosDirectory, "system", "android-settings.yaml"),
            SettingsDriverOptions = new BrowserDriverOptions { PollInterval = TimeSpan.FromMilliseconds(50) },
            Settings = LabUpstream.ForwardTo(phone.Phone.Internet, Path.Combine(_work, name)),
        });
        try
        {
            var runner = new ScenarioRunner(new ScenarioRunOptions
            {
                SettleTime = TimeSpan.FromSeconds(2),
                WorkDirectory = Path.Combine(_work, name, "cases"),
                DriverOptions = new BrowserDriverOptions { PollInterval = TimeSpan.FromMilliseconds(100), StepTimeout = TimeSpan.FromSeconds(15) },
            });
            var planned = await ScenarioRunner.PlanAsync(_adb, phone.Serial, [_scenario], [_mint], CancellationToken.None);
            return (await runner.RunCaseAsync(session, planned.Single(), CancellationToken.None), session);
        }
        finally
        {
            await session.RestoreAsync();
        }
    }

    private static string Describe(CaseResult r) =>
        $"{r.BrowserVersion}: {r.Verdict} ({r.Reason}); gaps: {string.Join(" | ", r.CoverageGaps)}; flows: {string.Join(", ", r.Flows.Select(f => $"{f.Host} {f.Tls?.Outcome}"))}";

    private async Task AssertRestoredAsync(VirtualPhoneFixture phone, DeviceSession session)
    {
        Assert.That(session.RestoreProblems, Is.Empty);
        Assert.That(phone.Phone.Android.UserCaCertificates(), Is.Empty, "the CA left the user store with the session");
        Assert.That((await _adb.ShellAsync(phone.Serial, $"ls /sdcard/Download/harness-ca-{_ca.SubjectHashOld}.crt")).ExitCode, Is.Not.EqualTo(0), "the pushed CA file is gone");
        Assert.That(await _adb.GetSettingAsync(phone.Serial, SettingsNamespace.Global, "http_proxy"), Is.Null.Or.EqualTo(":0"));
        Assert.That(await _adb.ListReversesAsync(phone.Serial), Is.Empty);
    }

    [Test]
    public async Task Only_a_build_that_trusts_user_CAs_is_judged_on_its_HTTPS_telemetry_and_a_shipped_build_stays_inconclusive()
    {
        var leakyTrusting = await StartPhoneAsync(TrustingUserCas("mint@3.4.0"));
        var fixedTrusting = await StartPhoneAsync(TrustingUserCas("mint@3.4.3"));
        var shipped = await StartPhoneAsync(BrowserCatalog.Find("mint@3.4.0")!);
        Assert.That(BrowserCatalog.Versions.Any(v => v.Traits.TrustsUserCertificates), Is.False, "no shipped build trusts user CAs");

        var runs = await Task.WhenAll(RunAsync(leakyTrusting, "leaky-trusting"), RunAsync(fixedTrusting, "fixed-trusting"), RunAsync(shipped, "shipped"));
        var (leak, leakSession) = runs[0];
        var (clean, cleanSession) = runs[1];
        var (blind, blindSession) = runs[2];
        var all = string.Join("\n", runs.Select(r => Describe(r.Result)));
        TestContext.Out.WriteLine(all);

        Assert.Multiple(() =>
        {
            foreach (var session in new[] { leakSession, cleanSession, blindSession })
            {
                Assert.That(session.CaInUserStore, Is.True, session.UserCaProblem);
                Assert.That(session.CaInSystemStore, Is.False);
            }
            foreach (var result in new[] { leak, clean, blind })
                Assert.That(result.CoverageLimits, Is.EqualTo(new[] { DeviceSession.UserStoreOnlyLimit }), "every case carries the user-store limit");

            // Trusting build, leaky version: the Sensors POST was decrypted and the URL found in it.
            Assert.That(leak.Verdict, Is.EqualTo(CaseVerdict.Fail), all);
            Assert.That(leak.Findings.Select(f => f.Host), Has.Some.EqualTo("sa.api.intl.miui.com"), all);
            Assert.That(leak.Flows.Where(f => f.Host == "sa.api.intl.miui.com").Select(f => f.Tls?.Outcome), Has.Some.EqualTo(TlsOutcome.Intercepted), all);

            // Trusting build, fixed version: the same capture shows no URL, decided on intercepted HTTPS. A pass,
            // unless the phone's own update check (a system app: it never trusts a user CA) ran inside the capture
            // window: that refused vendor connection is a gap no unrooted phone can close, so inconclusive is honest.
            Assert.That(clean.Findings, Is.Empty, all);
            if (clean.Verdict != CaseVerdict.Pass)
            {
                Assert.That(clean.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), all);
                Assert.That(clean.CoverageGaps, Is.Not.Empty.And.All.Contains("update.miui.com"), "only the system's own traffic is unreadable: " + all);
            }
            Assert.That(clean.Flows.Where(f => f.Tls?.Outcome == TlsOutcome.Intercepted).Select(f => f.Host), Has.Some.EqualTo("sa.api.intl.miui.com"), all);

            // Shipped build: it refuses the user-store CA, the telemetry is unreadable, so nothing can be claimed.
            Assert.That(blind.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), all);
            Assert.That(blind.Findings, Is.Empty, all);
            Assert.That(blind.Reason, Does.Contain("phone limit: " + DeviceSession.UserStoreOnlyLimit), all);
            Assert.That(blind.CoverageGaps, Has.Some.Contains("sa.api.intl.miui.com"), all);
        });

        await AssertRestoredAsync(leakyTrusting, leakSession);
        await AssertRestoredAsync(fixedTrusting, cleanSession);
        await AssertRestoredAsync(shipped, blindSession);
    }
}
