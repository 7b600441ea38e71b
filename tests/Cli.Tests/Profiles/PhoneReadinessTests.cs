using Harness.Cli.Tests.Hardening;
using Harness.Core;
using Harness.TestSupport;
using Harness.VirtualDevice.Browsers;

namespace Harness.Cli.Tests.Profiles;

/// <summary>
/// The realities of a real phone, taught to the virtual one and met through the real adb server: MIUI's input security
/// setting, a locked screen, dumps that fail while a page animates.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PhoneReadinessTests
{
    private PrivateAdbServer _adb = null!;

    [OneTimeSetUp]
    public async Task StartAdbAsync() => _adb = await PrivateAdbServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAdbAsync() => await _adb.DisposeAsync();

    private string Endpoint => "127.0.0.1:" + _adb.Port;
    private static string Repo => BuiltCli.FindRepositoryRoot();

    [Test]
    [CancelAfter(60_000)]
    public async Task Doctor_names_miui_usb_debugging_security_settings_when_input_is_refused(CancellationToken ct)
    {
        await using var phone = await VirtualPhoneFixture.StartAsync(_adb, "Redmi Note 8", ct);
        phone.Phone.Faults.InputInjectionDenied = true;
        var result = await BuiltCli.RunAsync(["doctor", phone.Serial, "--adb", Endpoint]);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Inconclusive), result.ToString());
        Assert.That(result.Stdout, Does.Contain("input         refused (INJECT_EVENTS)"));
        Assert.That(result.Stdout, Does.Contain("PROBLEM: the phone refuses input injection"));
        Assert.That(result.Stdout, Does.Contain("fix: on MIUI/HyperOS turn on").And.Contain("\"USB debugging (Security settings)\""));

        phone.Phone.Faults.InputInjectionDenied = false;
        var fixedPhone = await BuiltCli.RunAsync(["doctor", phone.Serial, "--adb", Endpoint]);
        Assert.That(fixedPhone.Stdout, Does.Not.Contain("INJECT_EVENTS").And.Contain("screen        awake and unlocked"), fixedPhone.ToString());
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Doctor_names_a_locked_screen_and_a_lock_without_pin_is_opened(CancellationToken ct)
    {
        await using var phone = await VirtualPhoneFixture.StartAsync(_adb, "Mi 10", ct);
        phone.Phone.Android.Screen.Sleep();
        phone.Phone.Android.Screen.Lock(secure: true);
        var locked = await BuiltCli.RunAsync(["doctor", phone.Serial, "--adb", Endpoint]);
        Assert.That(locked.ExitCode, Is.EqualTo((int)ExitCode.Inconclusive), locked.ToString());
        Assert.That(locked.Stdout, Does.Contain("PROBLEM: the screen is locked"));
        Assert.That(phone.Phone.Android.Screen.Awake, Is.True, "doctor woke it to look");

        phone.Phone.Android.Screen.Unlock();
        phone.Phone.Android.Screen.Sleep();
        phone.Phone.Android.Screen.Lock(secure: false);
        var swipeLock = await BuiltCli.RunAsync(["doctor", phone.Serial, "--adb", Endpoint]);
        Assert.That(swipeLock.Stdout, Does.Not.Contain("screen is locked"), swipeLock.ToString());
        Assert.That(phone.Phone.Android.Screen.Locked, Is.False, "a keyguard without PIN is dismissed");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_locked_phone_is_refused_before_any_case_and_an_asleep_one_is_prepared_and_restored(CancellationToken ct)
    {
        using var dir = new TempFolder("harness-readiness");
        await using var phone = await VirtualPhoneFixture.StartAsync(_adb, "Redmi Note 8", ct);
        await phone.InstallBrowserAsync(BrowserCatalog.Find("mibrowser@12.1.4")!, ct);
        var devices = dir.File("devices.json", $$"""{ "adb": "{{Endpoint}}", "devices": [ { "serial": "{{phone.Serial}}" } ] }""");
        string[] Run(string name) => ["run", "--devices", devices, "--scenario", "control-leak", "--browser", "mibrowser", "--settle", "1",
            "--out", dir.Combine(name), "--progress", "lines", "--ca-dir", dir.Combine("ca"), "--signing-dir", dir.Combine("signing"), "--history", dir.Combine("history.db")];

        phone.Phone.Android.Screen.Lock(secure: true);
        var refused = await BuiltCli.RunAsync(Run("locked"), TimeSpan.FromMinutes(1), Repo);
        Assert.That(refused.ExitCode, Is.EqualTo((int)ExitCode.Infrastructure), refused.ToString());
        Assert.That(refused.Stdout + refused.Stderr, Does.Contain("the screen is locked (PIN, pattern or password)"), refused.ToString());
        Assert.That(refused.Stdout, Does.Not.Contain(" start  control-leak"), "no case ran");

        phone.Phone.Android.Screen.Unlock();
        phone.Phone.Android.Screen.Sleep();
        phone.Phone.Android.Screen.Lock(secure: false);
        var settings = phone.Phone.Android.Settings;
        settings.Put("global", "window_animation_scale", "1.0");
        var ran = await BuiltCli.RunAsync(Run("asleep"), TimeSpan.FromMinutes(2), Repo);
        Assert.That(ran.Stdout, Does.Contain(" start  control-leak"), ran.ToString());
        Assert.That(ran.ExitCode, Is.Not.EqualTo((int)ExitCode.Infrastructure), ran.ToString());
        Assert.That(phone.Phone.Android.Screen.Awake && !phone.Phone.Android.Screen.Locked, "woken and unlocked");
        Assert.That(settings.Get("global", "window_animation_scale"), Is.EqualTo("1.0"), "restored as found");
        Assert.That(settings.Get("global", "animator_duration_scale"), Is.Null, "a setting that did not exist is removed again");
        Assert.That(settings.Get("global", "stay_on_while_plugged_in"), Is.Null);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Dumps_that_cannot_get_idle_state_while_a_page_animates_are_retried(CancellationToken ct)
    {
        using var dir = new TempFolder("harness-idle");
        await using var phone = await VirtualPhoneFixture.StartAsync(_adb, "Redmi Note 8", ct);
        await phone.InstallBrowserAsync(BrowserCatalog.Find("mibrowser@12.1.4")!, ct);
        phone.Phone.Faults.AnimatingDumps = 3;
        var direct = await _adb.RunAdbAsync(ct, "-s", phone.Serial, "shell", "am", "start", "-a", "android.intent.action.VIEW", "-d", "https://example.com/", "com.mi.globalbrowser");
        Assert.That(direct.ExitCode, Is.Zero);
        var dump = await _adb.RunAdbAsync(ct, "-s", phone.Serial, "exec-out", "uiautomator", "dump", "/dev/tty");
        Assert.That(dump.Stdout, Does.Contain("ERROR: could not get idle state."), "the phone animates after a page load");

        var result = await BuiltCli.RunAsync(["profile", "check", phone.Serial, "--browser", "mibrowser", "--adb", Endpoint,
            "--profiles", Path.Combine(Repo, "scenarios", "browsers"), "--out", dir.Combine("out"), "--step-timeout", "5",
            "--action", "open-url", "--action", "search"], TimeSpan.FromMinutes(2), Repo);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.AllPass), result.ToString());
        Assert.That(phone.Phone.Android.Settings.Get("global", "animator_duration_scale"), Is.Null, "profile check leaves the animations alone");
    }
}
