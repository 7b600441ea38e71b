using Harness.Browsers;
using Harness.Scenarios.Tests.Browsers.Fakes;

namespace Harness.Scenarios.Tests.Browsers;

/// <summary>The shipped Mint profile's recipes, run by the driver against recorded dumps in English and Spanish.</summary>
[TestFixture]
public sealed class BrowserDriverRecipeTests
{
    // Small bounds: the scripted phone answers at once, so waits end on state, and the failing cases stay short.
    internal static readonly BrowserDriverOptions FastOptions = new()
    {
        StepTimeout = TimeSpan.FromMilliseconds(300),
        TapCheckTimeout = TimeSpan.FromMilliseconds(100),
        PollInterval = TimeSpan.FromMilliseconds(5),
        LaunchTimeout = TimeSpan.FromMilliseconds(300),
    };

    internal static BrowserProfile Mint => BrowserProfileLoader.LoadFile(Path.Combine(RepositoryPaths.BrowserProfiles, "mint.yaml"));

    internal static async Task<(ScriptedBrowserPhone Phone, BrowserDriver Driver)> LaunchedAsync(string language, string version = "3.4.3")
    {
        var phone = new ScriptedBrowserPhone(language, version);
        var driver = await BrowserDriver.AttachAsync(phone, Mint, FastOptions);
        await driver.LaunchAsync();
        return (phone, driver);
    }

    [TestCase("en")]
    [TestCase("es")]
    public async Task Language_comes_from_the_phone_locale(string language)
    {
        var (_, driver) = await LaunchedAsync(language);
        Assert.That(driver.Language, Is.EqualTo(language));
    }

    [Test]
    public async Task Launch_resolves_the_launcher_activity_on_the_phone_when_the_profile_has_none()
    {
        var (phone, driver) = await LaunchedAsync("en");
        Assert.That(driver.Profile.LaunchActivity, Is.Null);
        Assert.That(phone.Resolves, Is.EqualTo(1));
        Assert.That(phone.StartedComponents, Is.EqualTo(new[] { FakeBrowserModel.Mint.LauncherComponent }));
        Assert.That(phone.Screen, Is.EqualTo(BrowserScreen.Home));
    }

    [TestCase("en")]
    [TestCase("es")]
    public async Task Open_url_types_the_url_and_waits_for_the_page(string language)
    {
        var (phone, driver) = await LaunchedAsync(language);
        var result = await driver.OpenUrlAsync("https://canary-7f3k.example/path-q9");
        Assert.That(phone.CurrentUrl, Is.EqualTo("https://canary-7f3k.example/path-q9"));
        Assert.That(phone.Texts, Is.EqualTo(new[] { "https://canary-7f3k.example/path-q9" }));
        Assert.That(phone.Keys, Is.EqualTo(new[] { "KEYCODE_ENTER" }));
        Assert.That(result.Taps, Is.EqualTo(1));
    }

    [TestCase("en")]
    [TestCase("es")]
    public async Task Search_submits_the_term_and_reads_it_back_from_the_address_bar(string language)
    {
        var (phone, driver) = await LaunchedAsync(language);
        await driver.SearchAsync("zebra canary 42");
        Assert.That(phone.CurrentUrl, Is.EqualTo("https://www.google.com/search?q=zebra%20canary%2042"));
    }

    [TestCase("en")]
    [TestCase("es")]
    public async Task Incognito_on_and_off_are_confirmed_by_reading_the_indicator(string language)
    {
        var (phone, driver) = await LaunchedAsync(language);
        Assert.That(await driver.IsIncognitoAsync(), Is.False);

        await driver.SetIncognitoAsync(true);
        Assert.That(phone.Incognito, Is.True);
        Assert.That(phone.Screen, Is.EqualTo(BrowserScreen.Home));
        Assert.That(await driver.IsIncognitoAsync(), Is.True);

        await driver.SetIncognitoAsync(false);
        Assert.That(phone.Incognito, Is.False);
        Assert.That(await driver.IsIncognitoAsync(), Is.False);
    }

    [Test]
    public async Task Set_switch_does_not_tap_a_switch_already_in_the_wanted_state()
    {
        var (phone, driver) = await LaunchedAsync("en");
        await driver.SetIncognitoAsync(true);
        phone.TappedIds.Clear();
        await driver.SetIncognitoAsync(true);
        Assert.That(phone.Incognito, Is.True);
        Assert.That(phone.TappedIds, Is.EqualTo(new[] { "menu_button", "menu_settings" }));
    }

    [TestCase("en")]
    [TestCase("es")]
    public async Task New_incognito_tab_from_the_menu(string language)
    {
        var (phone, driver) = await LaunchedAsync(language);
        await driver.RunAsync(BrowserAction.NewIncognitoTab);
        Assert.That(phone.Incognito, Is.True);
    }

    [TestCase("en")]
    [TestCase("es")]
    public async Task Enhanced_incognito_is_switched_once_incognito_enables_it(string language)
    {
        var (phone, driver) = await LaunchedAsync(language);
        await driver.SetIncognitoAsync(true);
        await driver.SetEnhancedIncognitoAsync(true);
        Assert.That(phone.Enhanced, Is.True);
        await driver.SetEnhancedIncognitoAsync(false);
        Assert.That(phone.Enhanced, Is.False);
    }

    [TestCase("en")]
    [TestCase("es")]
    public async Task Sign_in_then_sync_then_sign_out(string language)
    {
        var (phone, driver) = await LaunchedAsync(language);
        Assert.That(await driver.IsSignedInAsync(), Is.False);

        await driver.SignInAsync("6104581923", "pw-1");
        Assert.That(phone.SignedInAccount, Is.EqualTo("6104581923"));
        var state = await driver.RunAsync(BrowserAction.SignInState);
        Assert.That(state.State, Is.True);
        Assert.That(state.Text, Does.EndWith(": 6104581923"));

        await driver.SetSyncAsync(true);
        Assert.That(phone.Sync, Is.True);
        await driver.SetSyncAsync(false);
        Assert.That(phone.Sync, Is.False);

        await driver.RunAsync(BrowserAction.SignOut);
        Assert.That(phone.SignedInAccount, Is.Null);
        Assert.That(await driver.IsSignedInAsync(), Is.False);
        Assert.That(phone.Screen, Is.EqualTo(BrowserScreen.Home));
    }

    [TestCase("en")]
    [TestCase("es")]
    public async Task Clear_browsing_data_confirms_the_dialog(string language)
    {
        var (phone, driver) = await LaunchedAsync(language);
        await driver.RunAsync(BrowserAction.ClearBrowsingData);
        Assert.That(phone.HistoryClears, Is.EqualTo(1));
        Assert.That(phone.Screen, Is.EqualTo(BrowserScreen.Home));
    }

    [TestCase("en")]
    [TestCase("es")]
    public async Task Open_news_item_goes_home_first_then_opens_the_first_item(string language)
    {
        var (phone, driver) = await LaunchedAsync(language);
        await driver.OpenUrlAsync("https://canary.example/a");
        await driver.RunAsync(BrowserAction.OpenNewsItem);
        Assert.That(phone.CurrentUrl, Is.EqualTo("https://news.browser.intl.miui.com/article/1"));
        Assert.That(phone.Keys, Does.Contain("KEYCODE_BACK"));
    }

    [Test]
    public async Task Go_home_presses_back_only_until_home_shows()
    {
        var (phone, driver) = await LaunchedAsync("en");
        await driver.OpenUrlAsync("https://canary.example/a");
        phone.Keys.Clear();
        await driver.RunAsync(BrowserAction.GoHome);
        Assert.That(phone.Screen, Is.EqualTo(BrowserScreen.Home));
        Assert.That(phone.Keys, Is.EqualTo(new[] { "KEYCODE_BACK" }));
        await driver.RunAsync(BrowserAction.GoHome);
        Assert.That(phone.Keys, Has.Count.EqualTo(1), "already home: no press");
    }

    [Test]
    public async Task An_unknown_locale_tries_every_language()
    {
        var phone = new ScriptedBrowserPhone("es", locale: "fr-FR");
        var driver = await BrowserDriver.AttachAsync(phone, Mint, FastOptions);
        Assert.That(driver.Language, Is.Null);
        await driver.LaunchAsync();
        await driver.SetIncognitoAsync(true);
        Assert.That(phone.Incognito, Is.True);
    }

    [Test]
    public async Task Failed_dumps_while_waiting_count_as_not_yet()
    {
        var (phone, driver) = await LaunchedAsync("en");
        phone.DumpsToFail = 2;
        await driver.OpenUrlAsync("https://canary.example/a");
        Assert.That(phone.CurrentUrl, Is.EqualTo("https://canary.example/a"));
    }
}
