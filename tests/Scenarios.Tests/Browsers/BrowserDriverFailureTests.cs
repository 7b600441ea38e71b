using Harness.Browsers;
using Harness.Scenarios.Tests.Browsers.Fakes;
using static Harness.Scenarios.Tests.Browsers.BrowserDriverRecipeTests;

namespace Harness.Scenarios.Tests.Browsers;

/// <summary>Taps that do not take, checks that never hold, and versions the profile does not know.</summary>
[TestFixture]
public sealed class BrowserDriverFailureTests
{
    [TestCase("en")]
    [TestCase("es")]
    public async Task A_tap_that_does_not_take_is_retried_and_then_succeeds(string language)
    {
        var (phone, driver) = await LaunchedAsync(language);
        phone.TapsToSwallow = 1;
        var result = await driver.SetIncognitoAsync(true);
        Assert.That(phone.SwallowedTaps, Is.EqualTo(new[] { "menu_button" }));
        Assert.That(phone.TappedIds, Is.EqualTo(new[] { "menu_button", "menu_settings", "incognito_mode_switch" }));
        Assert.That(result.Taps, Is.EqualTo(4), "3 taps plus the retried one");
        Assert.That(phone.Incognito, Is.True);
    }

    [Test]
    public async Task A_switch_tap_that_does_not_take_is_retried()
    {
        var (phone, driver) = await LaunchedAsync("en");
        phone.SwallowOnce.Add("incognito_mode_switch");
        var result = await driver.RunAsync(BrowserAction.IncognitoOn);
        Assert.That(phone.SwallowedTaps, Is.EqualTo(new[] { "incognito_mode_switch" }));
        Assert.That(phone.Incognito, Is.True);
        Assert.That(result.Taps, Is.EqualTo(4));
    }

    [Test]
    public async Task A_check_that_never_holds_fails_the_step_with_screenshot_and_dump()
    {
        var (phone, driver) = await LaunchedAsync("es");
        phone.PagesNeverLoad = true;
        var failure = Assert.ThrowsAsync<BrowserStepFailedException>(() => driver.OpenUrlAsync("https://canary.example/x"));
        Assert.That(failure!.Action, Is.EqualTo("open-url"));
        Assert.That(failure.StepIndex, Is.EqualTo(3));
        Assert.That(failure.Step, Does.StartWith("wait-for page-title present"));
        Assert.That(failure.Expected, Does.Contain("page-title present"));
        Assert.That(failure.ScreenshotPng, Is.EqualTo(ScriptedBrowserPhone.ScreenshotBytes));
        Assert.That(failure.UiDumpXml, Does.StartWith("<?xml").And.Contain("Buscar o escribir URL"));
        Assert.That(failure.StepLocation?.File, Does.EndWith("mint.yaml"));
        Assert.That(failure.Message, Does.Contain("mint.yaml:").And.Contain("screenshot and UI dump attached"));
        Assert.That(failure.EvidenceProblem, Is.Null);
    }

    [Test]
    public async Task A_tap_that_never_takes_fails_after_the_bounded_attempts()
    {
        var (phone, driver) = await LaunchedAsync("en");
        phone.TapsToSwallow = 100;
        var failure = Assert.ThrowsAsync<BrowserStepFailedException>(() => driver.SetIncognitoAsync(true));
        Assert.That(phone.SwallowedTaps, Has.Count.EqualTo(FastOptions.TapAttempts));
        Assert.That(failure!.StepIndex, Is.EqualTo(0));
        Assert.That(failure.Expected, Does.Contain("menu-settings present after 3 tap(s) on menu"));
        Assert.That(failure.UiDumpXml, Does.Contain("menu_button"));
    }

    [Test]
    public async Task A_switch_that_never_flips_fails_with_its_state()
    {
        var (phone, driver) = await LaunchedAsync("en");
        phone.StuckSwitches.Add("incognito_mode_switch");
        var failure = Assert.ThrowsAsync<BrowserStepFailedException>(() => driver.SetIncognitoAsync(true));
        Assert.That(failure!.Expected, Is.EqualTo("incognito-switch checked after 3 tap(s)"));
        Assert.That(phone.TappedIds.Count(id => id == "incognito_mode_switch"), Is.EqualTo(3));
        Assert.That(failure.UiDumpXml, Does.Contain("incognito_mode_switch"));
    }

    [Test]
    public async Task A_disabled_switch_is_reported_as_disabled_not_tapped()
    {
        var (phone, driver) = await LaunchedAsync("en");
        var failure = Assert.ThrowsAsync<BrowserStepFailedException>(() => driver.SetSyncAsync(true));
        Assert.That(failure!.Expected, Does.Contain("found but disabled"));
        Assert.That(phone.TappedIds, Does.Not.Contain("sync_switch"));
    }

    [Test]
    public async Task A_launcher_activity_the_phone_cannot_resolve_fails_the_launch()
    {
        var phone = new ScriptedBrowserPhone("en");
        var driver = await BrowserDriver.AttachAsync(phone, Mint, FastOptions);
        phone.VersionName = null; // uninstalled after attach: am start shows nothing of the app
        var failure = Assert.ThrowsAsync<BrowserStepFailedException>(() => driver.LaunchAsync());
        Assert.That(failure!.Action, Is.EqualTo("launch"));
        Assert.That(failure.Message, Does.Contain("resolve the launcher activity"));
    }

    [Test]
    public async Task A_launch_that_shows_no_screen_of_the_app_fails_with_evidence()
    {
        // The profile names com.android.browser/.BrowserActivity; this build's activity has another name, so am start shows nothing.
        var model = FakeBrowserModel.MiuiBrowser with { LauncherComponent = "com.android.browser/.MainActivity" };
        var phone = new ScriptedBrowserPhone("en", "12.1.2", model: model);
        var profile = BrowserProfileLoader.LoadFile(Path.Combine(RepositoryPaths.BrowserProfiles, "miuibrowser.yaml"));
        var driver = await BrowserDriver.AttachAsync(phone, profile, FastOptions);
        var failure = Assert.ThrowsAsync<BrowserStepFailedException>(() => driver.LaunchAsync());
        Assert.That(failure!.Action, Is.EqualTo("launch"));
        Assert.That(failure.Expected, Does.StartWith("a screen of com.android.browser"));
        Assert.That(failure.ScreenshotPng, Is.Not.Null);
        Assert.That(failure.UiDumpXml, Does.Contain("com.miui.home"));
    }

    [Test]
    public void A_missing_placeholder_value_is_a_programming_error_named_by_action()
    {
        var error = Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            var (_, driver) = await LaunchedAsync("en");
            await driver.RunAsync(BrowserAction.OpenUrl);
        });
        Assert.That(error!.Message, Does.Contain("open-url").And.Contain("{url}"));
    }
}
