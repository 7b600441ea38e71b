using Harness.Adb;
using Harness.Browsers;
using Harness.Leaks;
using Harness.Proxy.Certificates;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Browsers;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>
/// The shipped chinese-search scenario on a rooted zh-CN phone with the MIUI China browser (13.0.1, which got no fix in
/// the record): with ADB Keyboard the Chinese canary is typed and found in the vendor's Sensors telemetry (LEAK); without
/// it the search step fails naming what to install, and the case is inconclusive, never pass. A system permission
/// prompt raised over the browser as it starts is dismissed through the dialogs of scenarios/system.
/// </summary>
[TestFixture, Category("EndToEnd"), NonParallelizable]
public sealed class ChineseSearchEndToEndTests
{
    private PrivateAdbServer _server = null!;
    private AdbClient _adb = null!;
    private CertificateAuthority _ca = null!;
    private string _work = null!;
    private IReadOnlyList<BrowserProfile> _profiles = null!;
    private ScenarioScript _scenario = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await PrivateAdbServer.StartAsync();
        _adb = new AdbClient(new AdbClientOptions { Port = _server.Port, CommandTimeout = TimeSpan.FromSeconds(30) });
        _work = Path.Combine(Path.GetTempPath(), "harness-zh-" + Guid.NewGuid().ToString("N"));
        _ca = CertificateAuthority.LoadOrCreate(Path.Combine(_work, "ca"));
        _profiles = BrowserProfileLoader.LoadDirectory(RepositoryPaths.BrowsersDirectory);
        _scenario = ScenarioLoader.LoadDirectory(RepositoryPaths.ScenariosDirectory, "chinese-search", _profiles.Select(p => p.Id).ToList()).Single();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _ca?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        if (_work is not null && Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    private async Task<(VirtualPhoneFixture Phone, CaseResult Result)> RunAsync(string name, bool adbKeyboard, bool permissionPrompt = false, bool systemDialogs = true)
    {
        var profile = PhoneProfile.FindBuiltIn("Redmi K20")! with { Locale = "zh-CN" };
        var phone = await VirtualPhoneFixture.StartAsync(_server, profile, new VirtualPhoneOptions { TimeFactor = 0.05 });
        try
        {
            await phone.InstallBrowserAsync(BrowserCatalog.Find("miuibrowser@13.0.1")!);
            if (adbKeyboard) await phone.InstallAdbKeyboardAsync();
            // The browser asks for a permission at its first launch of the case (after clear-data).
            if (permissionPrompt) phone.Phone.Android.Faults.PermissionPromptOnLaunch = "com.android.browser";
            var rack = new RackRunner(new RackRunnerOptions
            {
                CertificateAuthority = _ca,
                // The phone's requests go to its local internet as to a lab's origins (split DNS, the lab's own CA).
                Settings = LabUpstream.ForwardTo(phone.Phone.Internet, Path.Combine(_work, name)),
                FlowsDirectory = Path.Combine(_work, name, "flows"),
                SessionsDirectory = Path.Combine(_work, name, ".sessions"),
                Run = new ScenarioRunOptions
                {
                    SettleTime = TimeSpan.FromSeconds(2),
                    WorkDirectory = Path.Combine(_work, name, "cases"),
                    DriverOptions = new BrowserDriverOptions
                    {
                        PollInterval = TimeSpan.FromMilliseconds(100), StepTimeout = TimeSpan.FromSeconds(15),
                        ExtraDialogs = systemDialogs ? SystemDialogLoader.LoadDirectory(Path.Combine(RepositoryPaths.ScenariosDirectory, "system")) : [],
                    },
                    ConnectionSampleInterval = TimeSpan.FromMilliseconds(20),
                },
            });
            var result = await rack.RunAsync(_adb, [phone.Serial], [_scenario], _profiles, CancellationToken.None);
            Assert.That(result.DeviceFailures, Is.Empty);
            var single = result.Results.Single();
            TestContext.Out.WriteLine($"{single.Verdict}: {single.Reason}\n" + string.Join("\n", single.Steps.Select(s => $"  {s.Name} {s.Status} {s.Message}")));
            return (phone, single);
        }
        catch
        {
            await phone.DisposeAsync();
            throw;
        }
    }

    [Test]
    public async Task With_adb_keyboard_the_chinese_term_is_typed_and_found_in_the_vendors_telemetry()
    {
        var (phone, result) = await RunAsync("keyboard", adbKeyboard: true);
        await using var _ = phone;
        Assert.That(result.Verdict, Is.EqualTo(CaseVerdict.Fail), result.Reason);
        var query = result.Findings.Where(f => f.CanaryKind == CanaryKind.Query).ToList();
        Assert.That(query, Is.Not.Empty, result.Reason);
        Assert.That(query.Select(f => f.Host), Has.Some.EqualTo("sa.api.browser.miui.com"));
        Assert.That(query.Select(f => f.Destination), Has.All.EqualTo(DestinationClass.Vendor));
        Assert.That(query.Select(f => f.CanaryValue), Has.All.StartWith(CanarySet.HanTokenPrefix));
        Assert.That(query.SelectMany(f => f.DecodeChain), Has.Some.Contains("base64").IgnoreCase);
        // The harness put the phone's own keyboard back after typing.
        Assert.That(await _adb.GetSettingAsync(phone.Serial, SettingsNamespace.Secure, "default_input_method"), Is.EqualTo("com.android.inputmethod.latin/.LatinIME"));
    }

    [Test]
    public async Task Without_a_way_to_type_chinese_the_case_is_inconclusive_naming_what_to_install()
    {
        var (phone, result) = await RunAsync("no-keyboard", adbKeyboard: false);
        await using var _ = phone;
        Assert.That(result.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), result.Reason);
        var search = result.Steps.Single(s => s.Name.StartsWith("search", StringComparison.Ordinal));
        Assert.That(search.Message + " " + result.Reason, Does.Contain("com.android.adbkeyboard").And.Contain("ADB Keyboard"));
        Assert.That(result.Findings.Where(f => f.CanaryKind == CanaryKind.Query), Is.Empty);
    }

    [Test]
    public async Task A_permission_prompt_over_the_browser_is_dismissed_as_a_system_dialog_and_recorded()
    {
        var (phone, result) = await RunAsync("permission", adbKeyboard: true, permissionPrompt: true);
        await using var _ = phone;
        var dismissals = result.Steps.Where(s => s.Name == "dismiss-dialog permission-prompt").ToList();
        Assert.That(dismissals, Has.Count.EqualTo(1), result.Reason);
        Assert.That(dismissals[0].Message, Does.Contain("permission-deny"));
        // The case then ran to its judgement as without the prompt.
        Assert.That(result.Verdict, Is.EqualTo(CaseVerdict.Fail), result.Reason);
        Assert.That(phone.Phone.Android.Activities.Foreground?.App.PackageName, Is.Not.EqualTo("com.android.permissioncontroller"));
    }

    [Test]
    public async Task Without_the_system_dialogs_the_same_prompt_blocks_the_case_as_an_unknown_dialog()
    {
        var (phone, result) = await RunAsync("permission-unknown", adbKeyboard: true, permissionPrompt: true, systemDialogs: false);
        await using var _ = phone;
        Assert.That(result.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), result.Reason);
        Assert.That(result.Steps.Select(s => s.Name), Has.None.StartWith("dismiss-dialog permission"));
    }
}
