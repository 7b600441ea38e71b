using Harness.Cli.Tests.Hardening;
using Harness.Core;
using Harness.TestSupport;
using Harness.VirtualDevice.Browsers;

namespace Harness.Cli.Tests.Profiles;

/// <summary>`harness ui`: real dumps through --from-dump, and a virtual phone's screen through the real adb server.</summary>
[TestFixture]
[NonParallelizable]
public sealed class UiCommandTests
{
    private static string Repo => BuiltCli.FindRepositoryRoot();

    [Test]
    public async Task Every_real_dump_prints_as_a_readable_tree()
    {
        foreach (var file in RealWorldArtifacts.Files("uiautomator"))
        {
            var result = await BuiltCli.RunAsync(["ui", "--from-dump", file], workingDirectory: Repo);
            if (Path.GetFileName(file) == "asac-miui-dump-tty-error.txt")
            {
                Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
                Assert.That(result.Stderr, Does.Contain("uiautomator dump failed: java.io.FileNotFoundException"), result.ToString());
                Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace without --verbose");
                continue;
            }
            Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.AllPass), result.ToString());
            var lines = result.Stdout.Split('\n');
            Assert.That(lines[0], Does.StartWith($"dump {file}: "));
            Assert.That(lines.Count(l => l.Contains(" [") && l.TrimEnd().EndsWith(']')), Is.GreaterThan(20), file + ": one line per element with its bounds");
        }
        var wework = await BuiltCli.RunAsync(["ui", "--from-dump", RealWorldArtifacts.File("uiautomator", "vivo-wework-window_dump.xml")], workingDirectory: Repo);
        Assert.That(wework.Stdout, Does.Contain("text=\"消息\"").And.Contain("[NAF]"));
        var twoWindows = await BuiltCli.RunAsync(["ui", "--from-dump", RealWorldArtifacts.File("uiautomator", "u2-pretty-multiwindow-hexin-dump.xml")], workingDirectory: Repo);
        Assert.That(twoWindows.Stdout, Does.Contain("window 1 of 2: com.android.systemui").And.Contain("window 2 of 2: com.hexin.plat.android"));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task A_phone_screen_is_saved_and_the_profile_selectors_are_marked(CancellationToken ct)
    {
        await using var adb = await PrivateAdbServer.StartAsync(ct);
        await using var phone = await VirtualPhoneFixture.StartAsync(adb, "Redmi Note 8", ct);
        using var dir = new TempFolder("harness-ui");
        await phone.InstallBrowserAsync(BrowserCatalog.Find("mibrowser@12.1.4")!, ct);
        Assert.That((await adb.RunAdbAsync(ct, "-s", phone.Serial, "shell", "am", "start", "-n", "com.mi.globalbrowser/com.android.browser.BrowserActivity")).ExitCode, Is.Zero);

        var result = await BuiltCli.RunAsync(["ui", phone.Serial, "--adb", "127.0.0.1:" + adb.Port, "--out", dir.Combine("screen")], workingDirectory: Repo);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.AllPass), result.ToString());
        Assert.That(File.ReadAllBytes(dir.Combine("screen", "screen.png")).Take(4), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47 }));
        Assert.That(File.ReadAllText(dir.Combine("screen", "window_dump.xml")), Does.Contain("com.mi.globalbrowser:id/search_hint"));
        Assert.That(result.Stdout, Does.Contain("(language en)"));
        var hint = result.Stdout.Split('\n').Single(l => l.Contains("id=search_hint"));
        Assert.That(hint, Does.Contain("text=\"Search or type URL\"").And.Contain("[clickable]").And.Contain("<= mibrowser:search-hint"));
        Assert.That(result.Stdout.Split('\n').Single(l => l.Contains("id=menu_button")), Does.Contain("desc=\"Menu\"").And.Contain("mibrowser:menu"));
        Assert.That(result.Stdout, Does.Not.Contain("mint:"), "only the profiles of the app on screen mark it");
    }
}
