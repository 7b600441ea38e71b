using Harness.Browsers;
using Harness.Scenarios.Tests.Browsers.Fakes;
using static Harness.Scenarios.Tests.Browsers.BrowserDriverRecipeTests;

namespace Harness.Scenarios.Tests.Browsers;

/// <summary>Step kinds the shipped profiles use little: optional taps, key-until, assert, read, in a profile written for the test.</summary>
[TestFixture]
public sealed class RecipeStepTests
{
    private const string Profile = """
        id: mint-steps
        name: Mint for step tests
        package: com.mi.globalbrowser.mini
        user-agent: "XiaoMi/Mint Browser/"
        languages: [en, es]
        selectors:
          address-bar: { id: url_bar }
          menu: { id: menu_button, desc: { en: Menu, es: Menú } }
          menu-settings: { id: menu_settings, text: { en: Settings, es: Ajustes } }
          exit-incognito: { id: menu_exit_incognito, text: { en: "Exit incognito", es: "Salir de incógnito" } }
          new-incognito: { id: menu_new_incognito_tab }
          indicator: { id: incognito_indicator }
        recipes:
          incognito-off:
            - tap: menu
              expect: { present: menu-settings }
            - tap: exit-incognito
              optional: true
              expect: { absent: exit-incognito }
            - key: BACK
              until: { present: address-bar }
            - assert: [ { present: address-bar }, { absent: indicator } ]
          new-incognito-tab:
            - tap: menu
              expect: { present: new-incognito }
            - tap: new-incognito
              expect: { present: indicator }
          go-home:
            - key: BACK
              until: { present: address-bar }
              max: 2
          confirm-incognito-state:
            - read: { present: indicator }
          sign-in-state:
            - assert: { text-contains: address-bar, text: { en: "Nothing like this", es: "Nada así" } }
        versions:
          - range: ">=3.4.0 <3.6.0"
            actions: [incognito-off, new-incognito-tab, go-home, confirm-incognito-state, sign-in-state]
        """;

    private static async Task<(ScriptedBrowserPhone, BrowserDriver)> StartAsync(string language = "en")
    {
        var phone = new ScriptedBrowserPhone(language);
        var driver = await BrowserDriver.AttachAsync(phone, BrowserProfileLoader.Parse(Profile, "steps.yaml"), FastOptions);
        await driver.LaunchAsync();
        return (phone, driver);
    }

    [Test]
    public async Task An_optional_tap_is_skipped_when_its_element_is_not_on_screen()
    {
        var (phone, driver) = await StartAsync();
        await driver.RunAsync(BrowserAction.IncognitoOff);
        Assert.That(phone.TappedIds, Is.EqualTo(new[] { "menu_button" }));
        Assert.That(phone.Keys, Is.EqualTo(new[] { "KEYCODE_BACK" }), "the menu was closed with BACK");
    }

    [TestCase("en")]
    [TestCase("es")]
    public async Task An_optional_tap_is_made_when_its_element_is_there(string language)
    {
        var (phone, driver) = await StartAsync(language);
        await driver.RunAsync(BrowserAction.NewIncognitoTab);
        Assert.That(await driver.IsIncognitoAsync(), Is.True);
        await driver.RunAsync(BrowserAction.IncognitoOff);
        Assert.That(phone.TappedIds, Does.Contain("menu_exit_incognito"));
        Assert.That(phone.Incognito, Is.False);
        Assert.That(await driver.IsIncognitoAsync(), Is.False);
        Assert.That(phone.Keys, Is.Empty, "exiting incognito closed the menu: no BACK needed");
    }

    [Test]
    public async Task Key_until_never_presses_blind_while_dumps_fail()
    {
        var (phone, driver) = await StartAsync();
        phone.DumpsToFail = 3;
        await driver.RunAsync(BrowserAction.GoHome);
        Assert.That(phone.Keys, Is.Empty, "home was already showing once a dump came through");
        Assert.That(phone.Screen, Is.EqualTo(BrowserScreen.Home));
    }

    [Test]
    public async Task Key_until_stops_after_max_presses_with_evidence()
    {
        var (phone, driver) = await StartAsync();
        await driver.ForceStopAsync(); // the launcher has no address bar, and BACK does not leave it
        var failure = Assert.ThrowsAsync<BrowserStepFailedException>(() => driver.RunAsync(BrowserAction.GoHome));
        Assert.That(phone.Keys, Has.Count.EqualTo(2));
        Assert.That(failure!.Expected, Is.EqualTo("address-bar present after 2 presses of KEYCODE_BACK"));
        Assert.That(failure.UiDumpXml, Does.Contain("com.miui.home"));
    }

    [Test]
    public async Task A_failed_assert_names_the_conditions_that_do_not_hold()
    {
        var (_, driver) = await StartAsync("es");
        var failure = Assert.ThrowsAsync<BrowserStepFailedException>(() => driver.RunAsync(BrowserAction.SignInState));
        Assert.That(failure!.Expected, Does.Contain("address-bar text contains"));
        var line = Array.FindIndex(Profile.Split('\n'), l => l.Contains("- assert: { text-contains", StringComparison.Ordinal)) + 1;
        Assert.That(failure.StepLocation, Is.EqualTo(new SourceLocation("steps.yaml", line, 7)));
    }
}
