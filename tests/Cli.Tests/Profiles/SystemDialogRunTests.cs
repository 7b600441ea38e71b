using Harness.VirtualDevice.Network.Internet;
using Harness.Cli.Tests.Hardening;
using Harness.Core;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Browsers;

namespace Harness.Cli.Tests.Profiles;

/// <summary>
/// `harness run` (RackRun) loads the dialogs of scenarios/system: a permission prompt raised over the MIUI China browser
/// as it starts on a zh-CN phone is dismissed and recorded, and the Chinese search then leaks to the vendor (exit 1).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SystemDialogRunTests
{
    private static string Repo => BuiltCli.FindRepositoryRoot();

    [Test]
    [CancelAfter(180_000)]
    public async Task Harness_run_dismisses_a_system_permission_prompt_and_finds_the_chinese_search_leak(CancellationToken ct)
    {
        await using var adb = await PrivateAdbServer.StartAsync(ct);
        var profile = PhoneProfile.FindBuiltIn("Redmi K20")! with { Locale = "zh-CN" };
        await using var phone = await VirtualPhoneFixture.StartAsync(adb, profile, new VirtualPhoneOptions { TimeFactor = 0.05 }, ct);
        await phone.InstallBrowserAsync(BrowserCatalog.Find("miuibrowser@13.0.1")!, ct);
        await phone.InstallAdbKeyboardAsync(ct);
        phone.Phone.Android.Faults.PermissionPromptOnLaunch = "com.android.browser";
        using var dir = new TempFolder("harness-sysdialog");
        var devices = dir.File("devices.json", $$"""{ "adb": "127.0.0.1:{{adb.Port}}", "devices": [ { "serial": "{{phone.Serial}}" } ] }""");
        // The phone's local internet, published as a lab's upstream (split DNS, its own CA), as run.ps1 passes it.
        var (upstream, _) = VirtualInternetPublication.Write(phone.Phone.Internet, dir.Combine("lab.upstream.json"));

        var run = await BuiltCli.RunAsync(["run", "--devices", devices, "--scenario", "chinese-search", "--browser", "miuibrowser", "--settle", "1", "--upstream-file", upstream,
            "--out", dir.Combine("out"), "--progress", "lines", "--ca-dir", dir.Combine("ca"), "--signing-dir", dir.Combine("signing"),
            "--history", dir.Combine("history.db")], TimeSpan.FromMinutes(2), Repo);

        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.LeakFound), run.ToString());
        var recorded = Directory.EnumerateFiles(dir.Combine("out"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".jsonl", StringComparison.Ordinal))
            .Any(f => File.ReadAllText(f).Contains("dismiss-dialog permission-prompt", StringComparison.Ordinal));
        Assert.That(recorded, Is.True, "the dismissal is a step of the case in the run's results\n" + run);
        Assert.That(run.Stdout, Does.Contain("sa.api.browser.miui.com"), run.ToString());
    }
}
