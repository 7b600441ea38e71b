using Harness.Adb;
using Harness.Browsers;
using Harness.Evidence.Bundles;
using Harness.Evidence.History;
using Harness.Evidence.Signing;
using Harness.Evidence.Verification;
using Harness.Proxy.Certificates;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Browsers;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>
/// The shipped scenarios on virtual phones through the real adb server and the harness's own code only: leaky and
/// fixed versions of each browser give fail and pass, the control finds its leak, a pinned telemetry endpoint and a
/// proxy bypass on a rooted phone give inconclusive, and the phones are left without proxy or reverse forwards.
/// Phones run with a small time factor so the Sensors SDK flushes in well under a second.
/// </summary>
[TestFixture, Category("EndToEnd"), NonParallelizable]
public sealed partial class VirtualRackEndToEndTests
{
    private static readonly string[] LeakyVersions = ["mint@3.4.0", "mibrowser@12.1.3", "miuibrowser@12.1.2"];
    private static readonly string[] FixedVersions = ["mint@3.4.3", "mibrowser@12.1.4", "miuibrowser@13.0.1"];

    private PrivateAdbServer _server = null!;
    private AdbClient _adb = null!;
    private CertificateAuthority _ca = null!;
    private string _work = null!;
    private IReadOnlyList<BrowserProfile> _profiles = null!;
    private IReadOnlyList<ScenarioScript> _scenarios = null!;
    private readonly List<VirtualPhoneFixture> _phones = [];

    /// <summary>The rack's local internet, which the proxies forward to like a lab with split DNS and its own CA.</summary>
    private VirtualInternet _internet = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await PrivateAdbServer.StartAsync();
        _internet = VirtualInternet.Start();
        _adb = new AdbClient(new AdbClientOptions { Port = _server.Port, CommandTimeout = TimeSpan.FromSeconds(30) });
        _work = Path.Combine(Path.GetTempPath(), "harness-e2e-" + Guid.NewGuid().ToString("N"));
        _ca = CertificateAuthority.LoadOrCreate(Path.Combine(_work, "ca"));
        _profiles = BrowserProfileLoader.LoadDirectory(RepositoryPaths.BrowsersDirectory);
        _scenarios = ScenarioLoader.LoadDirectory(RepositoryPaths.ScenariosDirectory, knownBrowsers: _profiles.Select(p => p.Id).ToList());
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        foreach (var phone in _phones) await phone.DisposeAsync();
        if (_internet is not null) await _internet.DisposeAsync();
        _ca?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        if (_work is not null && Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    private async Task<VirtualPhoneFixture> StartPhoneAsync(string model, IEnumerable<string> browsers, VirtualInternet? internet = null, string? locale = null, double timeFactor = 0.05)
    {
        var profile = PhoneProfile.FindBuiltIn(model)!;
        if (locale is not null) profile = profile with { Locale = locale };
        var phone = await VirtualPhoneFixture.StartAsync(_server, profile, new VirtualPhoneOptions { TimeFactor = timeFactor, Internet = internet ?? _internet });
        _phones.Add(phone);
        foreach (var name in browsers)
        {
            var version = BrowserCatalog.Find(name) ?? throw new ArgumentException("no virtual browser " + name);
            var apk = Path.Combine(_work, version.ApkFileName);
            await File.WriteAllBytesAsync(apk, version.BuildApk());
            await _adb.InstallAsync(phone.Serial, apk);
        }
        return phone;
    }

    private ScenarioScript Scenario(string name, string? mode = null)
    {
        var script = _scenarios.Single(s => s.Name == name);
        return mode is null ? script : script with { Modes = script.Modes.Where(m => m.Name == mode).ToList() };
    }

    private const string IncognitoOnly = "incognito=on,enhanced-incognito=off";

    private RackRunnerOptions RackOptions(string name, ScenarioRunOptions? run = null, VirtualInternet? internet = null, RackSettings? settings = null) => new()
    {
        CertificateAuthority = _ca,
        Settings = settings ?? ForwardTo(internet ?? _internet, name),
        FlowsDirectory = Path.Combine(_work, name, "flows"),
        SessionsDirectory = Path.Combine(_work, name, ".sessions"),
        Run = run ?? RunOptions(name),
    };

    private RackSettings ForwardTo(VirtualInternet internet, string name) => LabUpstream.ForwardTo(internet, Path.Combine(_work, name));

    /// <summary>Every flow the proxy answered came from an upstream origin, except the canary site's own pages.</summary>
    private static void AssertAnsweredUpstream(IEnumerable<CaseResult> results)
    {
        var answered = results.SelectMany(r => r.Flows).Where(f => f.Tags.ContainsKey("answeredBy")).ToList();
        Assert.That(answered, Is.Not.Empty);
        var local = answered.Where(f => f.Tags["answeredBy"] is not ("upstream" or "canary")).Select(f => $"{f.Url} {f.Tags["answeredBy"]}").ToList();
        Assert.That(local, Is.Empty, "answered by the proxy itself");
        Assert.That(answered.Where(f => f.Tags["answeredBy"] == "upstream" && f.Error is not null).Select(f => $"{f.Url} {f.Error}"), Is.Empty, "upstream failures");
    }

    private ScenarioRunOptions RunOptions(string name, EvidenceBundleWriter? bundle = null, HistoryStore? history = null, long runId = 0) => new()
    {
        SettleTime = TimeSpan.FromSeconds(2),
        WorkDirectory = Path.Combine(_work, name, "cases"),
        DriverOptions = new BrowserDriverOptions { PollInterval = TimeSpan.FromMilliseconds(100), StepTimeout = TimeSpan.FromSeconds(15) },
        ConnectionSampleInterval = TimeSpan.FromMilliseconds(20),
        Evidence = bundle,
        History = history,
        HistoryRunId = runId,
    };

    private async Task AssertRestoredAsync(string serial)
    {
        Assert.That(await _adb.GetSettingAsync(serial, SettingsNamespace.Global, "http_proxy"), Is.Null.Or.EqualTo(":0"), serial + " still points at a proxy");
        Assert.That(await _adb.ListReversesAsync(serial), Is.Empty, serial + " keeps reverse forwards");
    }

    private static string Describe(IEnumerable<CaseResult> results) =>
        string.Join("\n", results.Select(r => $"{r.Case.Scenario.Name} {r.Case.Browser.Id} {r.BrowserVersion} {r.Case.Mode.Name}: {r.Verdict} ({r.Reason})"));

    [Test]
    public async Task Leaky_versions_fail_fixed_versions_pass_and_the_control_finds_its_leak()
    {
        var leaky = await StartPhoneAsync("Mi 10", LeakyVersions);
        var fixedPhone = await StartPhoneAsync("Redmi K20", FixedVersions);
        var bundle = await EvidenceBundleWriter.CreateAsync(new EvidenceBundleOptions { BundleDirectory = Path.Combine(_work, "matrix", "bundle"), RunId = "e2e", HarnessVersion = "test" }, CancellationToken.None);
        await using var history = await HistoryStore.OpenAsync(Path.Combine(_work, "matrix", "history.db"), CancellationToken.None);
        var runId = await history.StartRunAsync(DateTimeOffset.UtcNow, "run", "test", CancellationToken.None);
        var rack = new RackRunner(RackOptions("matrix", RunOptions("matrix", bundle, history, runId)));
        var finished = 0;
        rack.Progress += p =>
        {
            if (p.Kind == RackProgressKind.CaseFinished) Interlocked.Increment(ref finished);
        };

        var result = await rack.RunAsync(_adb, [leaky.Serial, fixedPhone.Serial],
            [Scenario("incognito-url", IncognitoOnly), Scenario("incognito-search", IncognitoOnly), Scenario("control-leak")], _profiles, CancellationToken.None);

        var all = Describe(result.Results);
        TestContext.Out.WriteLine(all);
        Assert.That(result.DeviceFailures, Is.Empty, all);
        Assert.That(result.Results, Has.Count.EqualTo(18), all);
        Assert.That(finished, Is.EqualTo(18));
        CaseVerdict VerdictOf(string scenario, string serial, string browser) =>
            result.Results.Single(r => r.Case.Scenario.Name == scenario && r.Case.Serial == serial && r.Case.Browser.Id == browser).Verdict;
        Assert.Multiple(() =>
        {
            foreach (var browser in new[] { "mint", "mibrowser", "miuibrowser" })
            {
                foreach (var scenario in new[] { "incognito-url", "incognito-search" })
                {
                    Assert.That(VerdictOf(scenario, leaky.Serial, browser), Is.EqualTo(CaseVerdict.Fail), $"{scenario} {browser} leaky\n{all}");
                    // The China build got no fix in the record: its later version still leaks.
                    var fixedExpected = browser == "miuibrowser" ? CaseVerdict.Fail : CaseVerdict.Pass;
                    Assert.That(VerdictOf(scenario, fixedPhone.Serial, browser), Is.EqualTo(fixedExpected), $"{scenario} {browser} later version\n{all}");
                }
                Assert.That(VerdictOf("control-leak", leaky.Serial, browser), Is.EqualTo(CaseVerdict.Pass), $"control {browser}\n{all}");
                Assert.That(VerdictOf("control-leak", fixedPhone.Serial, browser), Is.EqualTo(CaseVerdict.Pass), $"control {browser}\n{all}");
            }
        });
        AssertAnsweredUpstream(result.Results);
        Assert.That(result.Results.SelectMany(r => r.CoverageLimits), Does.Not.Contain(RackSettings.SinkholeLimit));
        var mintLeak = result.Results.Single(r => r.Case.Scenario.Name == "incognito-url" && r.Case.Serial == leaky.Serial && r.Case.Browser.Id == "mint");
        Assert.That(mintLeak.Findings.Select(f => f.Host), Has.Some.EqualTo("sa.api.intl.miui.com"));
        Assert.That(mintLeak.Findings.SelectMany(f => f.DecodeChain), Has.Some.Contains("base64").IgnoreCase);
        Assert.That(mintLeak.Steps.Select(s => s.Name), Has.Some.StartsWith("apply-mode").And.Some.StartsWith("open-url"));
        Assert.That(mintLeak.EvidenceAttachments, Has.Some.EndsWith(".har"));
        Assert.That(File.Exists(Path.Combine(bundle.BundleDirectory, BundleLayout.CaseFolder(mintLeak.Case.Id), BundleLayout.CaseResultFile)), Is.True);
        var recorded = await history.ListCasesAsync(new HistoryQuery(), CancellationToken.None);
        Assert.That(recorded.Count(c => c.RunId == runId), Is.EqualTo(18));

        // Device facts carry what the phone says of the browsers: versions and signing-certificate digests.
        var facts = await File.ReadAllTextAsync(Path.Combine(bundle.BundleDirectory, BundleLayout.DeviceFolder(leaky.Serial), "facts.json"));
        Assert.That(facts, Does.Contain("com.mi.globalbrowser.mini").And.Contain("3.4.0"));
        Assert.That(System.Text.Json.JsonDocument.Parse(facts).RootElement.GetProperty("packageSignatures").EnumerateObject().Select(p => p.Name), Does.Contain("com.mi.globalbrowser.mini"), facts);
        Assert.That(System.Text.Json.JsonDocument.Parse(facts).RootElement.GetProperty("caTrust").GetString(), Is.EqualTo("system store"), "the rooted phone's CA went into the system store");

        // The sealed bundle alone reproduces every verdict and finding (harness verify's re-scan).
        var key = await new SigningKeyStore(Path.Combine(_work, "matrix", "key")).LoadOrCreateAsync(CancellationToken.None);
        await bundle.SealAsync(key, CancellationToken.None);
        var verifier = new BundleVerifier(new ScenarioBundleRescanner());
        var report = await verifier.VerifyAsync(bundle.BundleDirectory, null, CancellationToken.None);
        Assert.That(report.Holds, Is.True, report.ToText());
        Assert.That(report.CasesRescanned, Is.EqualTo(18));
        // Swapping the leaky capture for a clean one is caught by the re-scan, not only by the hash.
        string HarOf(CaseResult r) => Path.Combine(bundle.BundleDirectory, BundleLayout.CaseFolder(r.Case.Id), BundleLayout.CaseHarFile);
        var fixedMint = result.Results.Single(r => r.Case.Scenario.Name == "incognito-url" && r.Case.Serial == fixedPhone.Serial && r.Case.Browser.Id == "mint");
        File.Copy(HarOf(fixedMint), HarOf(mintLeak), overwrite: true);
        var tampered = await verifier.VerifyAsync(bundle.BundleDirectory, null, CancellationToken.None);
        Assert.That(tampered.Differences.Select(d => d.Kind), Has.Member(DifferenceKind.VerdictDiffers).And.Member(DifferenceKind.FindingMissingFromRescan).And.Member(DifferenceKind.ContentChanged), tampered.ToText());

        await AssertRestoredAsync(leaky.Serial);
        await AssertRestoredAsync(fixedPhone.Serial);
    }

    [Test]
    public async Task Every_shipped_scenario_reaches_the_verdict_of_the_record_on_a_fixed_version()
    {
        var phone = await StartPhoneAsync("Redmi K20", ["mint@3.4.3"]);
        var rack = new RackRunner(RackOptions("shipped"));
        var result = await rack.RunAsync(_adb, [phone.Serial], _scenarios, _profiles, CancellationToken.None);
        var all = Describe(result.Results);
        TestContext.Out.WriteLine(all);
        CaseResult Case(string scenario, string? mode = null) =>
            result.Results.Single(r => r.Case.Scenario.Name == scenario && (mode is null || r.Case.Mode.Name == mode));
        Assert.Multiple(() =>
        {
            // After the 2020 fix collection stops only with Incognito Mode on and Enhanced Incognito Mode off (docs/architecture.md, what is known about the browsers).
            Assert.That(Case("incognito-url", IncognitoOnly).Verdict, Is.EqualTo(CaseVerdict.Pass), all);
            Assert.That(Case("incognito-url", "incognito=on,enhanced-incognito=on").Verdict, Is.EqualTo(CaseVerdict.Fail), all);
            Assert.That(Case("incognito-search", IncognitoOnly).Verdict, Is.EqualTo(CaseVerdict.Pass), all);
            // Normal browsing is reported to the vendor's analytics whatever sync says.
            Assert.That(Case("normal-sync-off").Verdict, Is.EqualTo(CaseVerdict.Fail), all);
            Assert.That(Case("normal-sync-on").Verdict, Is.EqualTo(CaseVerdict.Fail), all);
            // The anonymous uuid survives force-stop and relaunch: the two incognito sessions are linkable.
            Assert.That(Case("incognito-identifier-persistence").Verdict, Is.EqualTo(CaseVerdict.Fail), all);
            Assert.That(Case("incognito-identifier-persistence").LinkableIdentifiers, Is.Not.Empty);
            // $device_id is the phone's android_id.
            Assert.That(Case("device-metadata").Verdict, Is.EqualTo(CaseVerdict.Fail), all);
            Assert.That(Case("device-metadata").DeviceMetadataFindings.Select(f => f.Name), Does.Contain("android_id"));
            Assert.That(Case("control-leak").Verdict, Is.EqualTo(CaseVerdict.Pass), all);
        });
        // With sync on the history went to the sync service, which the script allows: no finding names it.
        var syncOn = Case("normal-sync-on");
        Assert.That(syncOn.Flows.Select(f => f.Host), Does.Contain("sync.browser.intl.miui.com"), "sync was not on");
        Assert.That(syncOn.Findings.Select(f => f.Host), Does.Not.Contain("sync.browser.intl.miui.com"));
        Assert.That(syncOn.Findings.Select(f => f.Host), Does.Contain("sa.api.intl.miui.com"));
        AssertAnsweredUpstream(result.Results);
        await AssertRestoredAsync(phone.Serial);
    }

    [Test]
    public async Task A_sinkhole_rack_keeps_the_verdict_and_every_result_names_the_limit()
    {
        var phone = await StartPhoneAsync("Mi 10", ["mint@3.4.0"]);
        var rack = new RackRunner(RackOptions("sinkhole", settings: RackSettings.Default with { Upstream = Proxy.UpstreamMode.Sinkhole, Account = LabUpstream.TestAccount }));
        var result = await rack.RunAsync(_adb, [phone.Serial], [Scenario("incognito-url", IncognitoOnly)], _profiles, CancellationToken.None);
        var only = result.Results.Single();
        Assert.That(only.Verdict, Is.EqualTo(CaseVerdict.Fail), only.Reason);
        Assert.That(only.CoverageLimits, Does.Contain(RackSettings.SinkholeLimit));
        Assert.That(only.Flows.Where(f => f.Host == "sa.api.intl.miui.com").Select(f => f.Tags.GetValueOrDefault("answeredBy")), Has.All.EqualTo("sinkhole"));
        await AssertRestoredAsync(phone.Serial);
    }

    [Test]
    public async Task The_sign_in_request_is_captured_with_the_password_masked_and_the_bundle_still_verifies()
    {
        const string password = "Pw-only-the-phone-may-see-71";
        var phone = await StartPhoneAsync("Redmi K20", ["mint@3.4.3"]);
        var account = new MiAccount("tester@example.org", password, "environment MI_ACCOUNT_ID");
        var work = Path.Combine(_work, "masked");
        var bundle = await EvidenceBundleWriter.CreateAsync(new EvidenceBundleOptions { BundleDirectory = Path.Combine(work, "bundle"), RunId = "masked", HarnessVersion = "test" }, CancellationToken.None);
        var rack = new RackRunner(RackOptions("masked", RunOptions("masked", bundle), settings: LabUpstream.ForwardTo(_internet, work, account)));
        var result = await rack.RunAsync(_adb, [phone.Serial], [Scenario("normal-sync-on")], _profiles, CancellationToken.None);
        var only = result.Results.Single();
        Assert.That(only.Verdict, Is.EqualTo(CaseVerdict.Fail), only.Reason);
        var signIn = only.Flows.Single(f => f.Host == "account.xiaomi.com");
        Assert.That(signIn.Tags["answeredBy"], Is.EqualTo("upstream"));
        Assert.That(System.Text.Encoding.UTF8.GetString(signIn.RequestBody!.Raw), Does.Contain("hash=[masked:account-password]").And.Contain("tester%40example.org"));
        Assert.That(signIn.Tags[Proxy.FlowSecretMasker.TagName], Is.EqualTo("account-password@request.body"));
        var received = await _internet.WaitForRequestAsync(r => r.Host == "account.xiaomi.com" && r.BodyText.Contains("tester%40example.org", StringComparison.Ordinal), CancellationToken.None);
        Assert.That(received.BodyText, Does.Contain("hash=" + Convert.ToHexString(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(password)))),
            "the origin got the real sign-in: only what is stored is masked");

        var key = await new SigningKeyStore(Path.Combine(work, "key")).LoadOrCreateAsync(CancellationToken.None);
        await bundle.SealAsync(key, CancellationToken.None);
        var report = await new BundleVerifier(new ScenarioBundleRescanner()).VerifyAsync(bundle.BundleDirectory, null, CancellationToken.None);
        Assert.That(report.Holds, Is.True, report.ToText());
        var redactions = await File.ReadAllTextAsync(Path.Combine(bundle.BundleDirectory, BundleLayout.RedactionsFile));
        Assert.That(redactions, Does.Contain("account-password@request.body").And.Contain("masked at capture"), "the bundle says what was masked");
        var md5 = Convert.ToHexString(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(password)));
        var holding = Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains(password, StringComparison.Ordinal) || File.ReadAllText(f).Contains(md5, StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.That(holding, Is.Empty, "files holding the password or its digest");
        await AssertRestoredAsync(phone.Serial);
    }

    [Test]
    public async Task A_zh_CN_China_build_searching_Baidu_is_intended_while_the_copy_sent_to_the_vendor_is_a_leak()
    {
        var phone = await StartPhoneAsync("Mi 10", ["miuibrowser@12.1.2"], locale: "zh-CN");
        var rack = new RackRunner(RackOptions("baidu"));
        var result = await rack.RunAsync(_adb, [phone.Serial], [Scenario("incognito-search", IncognitoOnly)], _profiles, CancellationToken.None);
        var only = result.Results.Single();
        Assert.That(only.Verdict, Is.EqualTo(CaseVerdict.Fail), only.Reason);
        var term = only.Canaries!.Get(Harness.Leaks.CanaryKind.Query)!.Value;
        var resultsPage = only.Flows.Single(f => f.Host == "www.baidu.com" && f.Url!.Contains("/s?wd=", StringComparison.Ordinal));
        Assert.That(resultsPage.Url, Does.Contain(Uri.EscapeDataString(term)), "the search went to Baidu, as the China build does on zh-CN");
        Assert.That(resultsPage.Tags["answeredBy"], Is.EqualTo("upstream"));
        Assert.That(only.Canaries.IntendedHosts, Does.Contain("baidu.com"), "the profile names Baidu for zh-CN");
        Assert.That(only.Findings.Select(f => f.Host), Has.None.Contains("baidu.com"), "the results page is intended, not a leak");
        Assert.That(only.Findings.Where(f => f.Destination == Harness.Leaks.DestinationClass.Vendor).Select(f => f.CanaryKind), Has.Some.EqualTo(Harness.Leaks.CanaryKind.Query),
            "the copy of the query sent to the vendor is still a leak");
        await AssertRestoredAsync(phone.Serial);
    }

    [Test]
    public async Task A_sync_mode_on_a_phone_without_an_account_is_not_applicable_and_says_why()
    {
        var phone = await StartPhoneAsync("Redmi K20", ["mint@3.4.3"]);
        var rack = new RackRunner(RackOptions("no-account", settings: ForwardTo(_internet, "no-account") with { Account = null }));
        var result = await rack.RunAsync(_adb, [phone.Serial], [Scenario("normal-sync-on")], _profiles, CancellationToken.None);
        var only = result.Results.Single();
        Assert.That(only.Verdict, Is.EqualTo(CaseVerdict.NotApplicable), only.Reason);
        Assert.That(only.Reason, Does.Contain("needs a Mi Account").And.Contain(phone.Serial));
        await AssertRestoredAsync(phone.Serial);
    }

    [Test]
    public async Task The_enhanced_incognito_mode_is_not_applicable_to_a_version_without_it()
    {
        var phone = await StartPhoneAsync("Mi 10", ["mint@3.4.0"]);
        var rack = new RackRunner(RackOptions("na"));
        var result = await rack.RunAsync(_adb, [phone.Serial], [Scenario("incognito-url", "incognito=on,enhanced-incognito=on")], _profiles, CancellationToken.None);
        var only = result.Results.Single();
        Assert.That(only.Verdict, Is.EqualTo(CaseVerdict.NotApplicable), only.Reason);
        Assert.That(only.Reason, Does.Contain("enhanced-incognito-on"));
        await AssertRestoredAsync(phone.Serial);
    }

    [Test]
    public async Task A_pinned_telemetry_endpoint_gives_inconclusive()
    {
        var phone = await StartPhoneAsync("Mi 10", ["mint@3.4.0"]);
        phone.Phone.Faults.PinnedTelemetry = true;
        var rack = new RackRunner(RackOptions("pinned"));
        var result = await rack.RunAsync(_adb, [phone.Serial], [Scenario("incognito-url", IncognitoOnly)], _profiles, CancellationToken.None);
        var only = result.Results.Single();
        Assert.That(only.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), only.Reason);
        Assert.That(only.CoverageGaps, Has.Some.Contains("sa.api.intl.miui.com"), "the refused telemetry host is named as a gap");
        Assert.That(only.Findings, Is.Empty);
        await AssertRestoredAsync(phone.Serial);
    }

    [Test]
    public async Task A_proxy_bypass_on_a_rooted_phone_gives_inconclusive()
    {
        // Slow stand-in origins keep the bypassing connection open long enough to be in /proc/net/tcp when sampled.
        await using var internet = VirtualInternet.Start(options: new VirtualInternetOptions { ResponseDelay = TimeSpan.FromMilliseconds(400) });
        var phone = await StartPhoneAsync("Mi 10", ["mint@3.4.0"], internet);
        phone.Phone.Faults.TelemetryBypassesProxy = true;
        var rack = new RackRunner(RackOptions("bypass", internet: internet));
        var result = await rack.RunAsync(_adb, [phone.Serial], [Scenario("incognito-url", IncognitoOnly)], _profiles, CancellationToken.None);
        var only = result.Results.Single();
        Assert.That(only.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), only.Reason);
        Assert.That(only.Findings, Is.Empty, "the telemetry went around the proxy: nothing to find in the capture");
        Assert.That(only.CoverageGaps, Has.Some.Contains("unaccounted-connection"));
        await AssertRestoredAsync(phone.Serial);
    }

    [Test]
    public async Task A_browser_that_crashes_mid_case_makes_it_inconclusive_and_the_other_phone_passes()
    {
        var crashing = await StartPhoneAsync("Mi 10", ["mint@3.4.3"]);
        var steady = await StartPhoneAsync("Redmi K20", ["mint@3.4.3"]);
        var rack = new RackRunner(RackOptions("crash"));
        Task? crash = null;
        rack.Progress += p =>
        {
            if (p.Kind == RackProgressKind.CaseStarted && p.Serial == crashing.Serial)
                crash = Task.Run(async () =>
                {
                    // Crash once the browser has opened the canary page: its telemetry is then still buffered.
                    var deadline = DateTime.UtcNow.AddSeconds(20);
                    while (DateTime.UtcNow < deadline && crashing.Phone.Android.Activities.GetRunning("com.mi.globalbrowser.mini") is null)
                        await Task.Delay(50);
                    await Task.Delay(1000);
                    await crashing.Phone.CrashAppAsync("com.mi.globalbrowser.mini");
                });
        };

        var result = await rack.RunAsync(_adb, [crashing.Serial, steady.Serial], [Scenario("incognito-url", IncognitoOnly)], _profiles, CancellationToken.None);

        Assert.That(crash, Is.Not.Null);
        await crash!;
        var all = Describe(result.Results);
        Assert.That(result.Results.Single(r => r.Case.Serial == crashing.Serial).Verdict, Is.EqualTo(CaseVerdict.Inconclusive), all);
        Assert.That(result.Results.Single(r => r.Case.Serial == steady.Serial).Verdict, Is.EqualTo(CaseVerdict.Pass), all);
        await AssertRestoredAsync(crashing.Serial);
        await AssertRestoredAsync(steady.Serial);
    }

    [Test]
    public async Task A_phone_that_drops_mid_case_is_inconclusive_the_other_finishes_and_the_next_start_restores_it()
    {
        var dropping = await StartPhoneAsync("Mi 10", ["mint@3.4.0"]);
        var steady = await StartPhoneAsync("Redmi K20", ["mint@3.4.0"]);
        var options = RackOptions("dropped");
        var rack = new RackRunner(options);
        rack.Progress += p =>
        {
            if (p.Kind == RackProgressKind.CaseStarted && p.Serial == dropping.Serial)
                _ = Task.Run(async () =>
                {
                    await Task.Delay(1500);
                    await dropping.Phone.DropAdbConnectionsAsync();
                });
        };

        var result = await rack.RunAsync(_adb, [dropping.Serial, steady.Serial], [Scenario("control-leak")], _profiles, CancellationToken.None);

        var all = Describe(result.Results);
        var lost = result.Results.Single(r => r.Case.Serial == dropping.Serial);
        Assert.That(lost.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), all);
        Assert.That(lost.InfrastructureError, Is.Not.Null, all);
        Assert.That(result.Results.Single(r => r.Case.Serial == steady.Serial).Verdict, Is.EqualTo(CaseVerdict.Pass), all);
        Assert.That(result.DeviceFailures.Keys, Does.Contain(dropping.Serial), "a phone that could not be restored is reported");
        Assert.That(SessionMarker.ReadAll(options.SessionsDirectory).Select(m => m.Marker?.Serial), Is.EqualTo(new[] { dropping.Serial }), "the marker stays until the phone is restored");
        await AssertRestoredAsync(steady.Serial);

        // The phone comes back: the next start finds the marker and clears what the lost session left on it.
        dropping.Phone.AllowReconnect();
        await _server.RunAdbAsync("connect", dropping.Serial);
        await dropping.WaitForStateAsync("device");
        var recovered = await DeviceSession.RecoverAsync(_adb, options.SessionsDirectory, includeThisProcess: true);
        Assert.That(recovered.Single().Restored, Is.True, recovered.Single().Detail);
        await AssertRestoredAsync(dropping.Serial);
        Assert.That(SessionMarker.ReadAll(options.SessionsDirectory), Is.Empty);
    }

    [Test]
    public async Task A_run_cancelled_midway_restores_the_phone()
    {
        var phone = await StartPhoneAsync("Redmi K20", ["mint@3.4.3"]);
        var rack = new RackRunner(RackOptions("cancelled"));
        using var cancel = new CancellationTokenSource();
        rack.Progress += p =>
        {
            if (p.Kind == RackProgressKind.CaseStarted) cancel.CancelAfter(TimeSpan.FromMilliseconds(1500));
        };
        Assert.That(async () => await rack.RunAsync(_adb, [phone.Serial], [Scenario("normal-sync-on")], _profiles, cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
        await AssertRestoredAsync(phone.Serial);
        Assert.That(SessionMarker.ReadAll(Path.Combine(_work, "cancelled", ".sessions")), Is.Empty);
    }

    [Test]
    public async Task A_settle_shorter_than_the_flush_is_extended_once_and_the_leak_is_still_found()
    {
        // Real time: the Sensors SDK flushes every 15 s, so a 2 s settle ends before the upload that carries the URL.
        var phone = await StartPhoneAsync("Mi 10", ["mint@3.4.0"], timeFactor: 1.0);
        var rack = new RackRunner(RackOptions("short-settle"));
        var result = await rack.RunAsync(_adb, [phone.Serial], [Scenario("incognito-url", IncognitoOnly)], _profiles, CancellationToken.None);
        var only = result.Results.Single();
        Assert.That(only.Verdict, Is.EqualTo(CaseVerdict.Fail), only.Reason);
        Assert.That(only.Findings.Select(f => f.Host), Does.Contain("sa.api.intl.miui.com"));
        Assert.That(only.Steps.Select(s => s.Name), Has.Some.StartsWith("wait-telemetry-heartbeat"), "the settle was not extended");
        Assert.That(only.ExpectationOutcomes, Has.Some.StartsWith("telemetry-heartbeat: pass"));
        await AssertRestoredAsync(phone.Serial);
    }

    [Test]
    public async Task A_build_whose_telemetry_stays_silent_is_inconclusive_never_pass()
    {
        // mint@3.5.1 cannot read its remote config and keeps every event in its database: the window is clean but proves nothing.
        var phone = await StartPhoneAsync("Redmi K20", ["mint@3.5.1"]);
        var rack = new RackRunner(RackOptions("silent"));
        var result = await rack.RunAsync(_adb, [phone.Serial], [Scenario("incognito-url", IncognitoOnly), Scenario("incognito-url", "incognito=on,enhanced-incognito=on")], _profiles, CancellationToken.None);
        var all = Describe(result.Results);
        Assert.That(result.Results, Has.Count.EqualTo(2), all);
        foreach (var silent in result.Results)
        {
            Assert.That(silent.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), all);
            Assert.That(silent.Reason, Does.Contain(CaseJudge.TelemetrySilent), all);
            Assert.That(silent.Flows.Where(f => f.Host == "sa.api.intl.miui.com" && f.Method == "POST"), Is.Empty, "the build uploaded after all");
            Assert.That(silent.LastBrowsingStepUtc, Is.Not.Null);
        }
        await AssertRestoredAsync(phone.Serial);
    }
}
