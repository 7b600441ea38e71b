using Harness.Cli.Tests.Hardening;
using Harness.Core;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Browsers;

namespace Harness.Cli.Tests.Profiles;

/// <summary>A zh-CN MIUI China phone: the browser speaks Chinese, the profile's zh labels are picked, every action works.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ChinesePhoneTests
{
    private static string Repo => BuiltCli.FindRepositoryRoot();

    [Test]
    [CancelAfter(240_000)]
    public async Task The_miui_china_profile_drives_a_zh_CN_phone(CancellationToken ct)
    {
        await using var adb = await PrivateAdbServer.StartAsync(ct);
        var profile = PhoneProfile.FindBuiltIn("Redmi K20")! with { Locale = "zh-CN" };
        await using var phone = await VirtualPhoneFixture.StartAsync(adb, profile, new VirtualPhoneOptions(), ct);
        await phone.InstallBrowserAsync(BrowserCatalog.Find("miuibrowser@13.0.1")!, ct);
        using var dir = new TempFolder("harness-zh");
        var endpoint = "127.0.0.1:" + adb.Port;

        var check = await BuiltCli.RunAsync(["profile", "check", phone.Serial, "--browser", "miuibrowser", "--adb", endpoint,
            "--profiles", Path.Combine(Repo, "scenarios", "browsers"), "--out", dir.Combine("check"), "--step-timeout", "3",
            "--account", "4711", "--password", "secret"], TimeSpan.FromMinutes(3), Repo);
        Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.AllPass), check.ToString());
        Assert.That(check.Stdout, Does.Contain("language zh"));

        var ui = await BuiltCli.RunAsync(["ui", phone.Serial, "--adb", endpoint, "--out", dir.Combine("ui")], workingDirectory: Repo);
        Assert.That(ui.ExitCode, Is.EqualTo((int)ExitCode.AllPass), ui.ToString());
        Assert.That(ui.Stdout, Does.Contain("(language zh)"));
        Assert.That(ui.Stdout.Split('\n').Single(l => l.Contains("id=menu_button")), Does.Contain("desc=\"菜单\"").And.Contain("miuibrowser:menu"));
    }
}
