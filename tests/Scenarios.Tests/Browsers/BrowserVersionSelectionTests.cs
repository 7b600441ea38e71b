using Harness.Browsers;
using Harness.Scenarios.Tests.Browsers.Fakes;
using static Harness.Scenarios.Tests.Browsers.BrowserDriverRecipeTests;

namespace Harness.Scenarios.Tests.Browsers;

/// <summary>The installed versionName picks the profile's version range: actions and selectors differ per range.</summary>
[TestFixture]
public sealed class BrowserVersionSelectionTests
{
    [TestCase("3.4.0", ">=3.4.0 <3.4.3", false, "menu_button")]
    [TestCase("3.4.3", ">=3.4.3 <3.5.0", true, "menu_button")]
    [TestCase("3.4.4", ">=3.4.3 <3.5.0", true, "menu_button")]
    [TestCase("3.5.2", ">=3.5.0 <3.6.0", true, "bottom_menu")]
    public async Task The_installed_version_picks_its_range(string version, string range, bool hasEnhanced, string menuId)
    {
        var phone = new ScriptedBrowserPhone("en", version);
        var driver = await BrowserDriver.AttachAsync(phone, Mint, FastOptions);
        Assert.That(driver.InstalledVersion, Is.EqualTo(version));
        Assert.That(driver.VersionRange.Range.Text, Is.EqualTo(range));
        Assert.That(driver.Supports(BrowserAction.EnhancedIncognitoOn), Is.EqualTo(hasEnhanced));
        Assert.That(driver.VersionRange.Selectors["menu"].ResourceId, Is.EqualTo($"{ScriptedBrowserPhone.MintPackage}:id/{menuId}"));

        await driver.LaunchAsync();
        await driver.SetIncognitoAsync(true);
        Assert.That(phone.TappedIds[0], Is.EqualTo(menuId), "the menu is found by the id of this version");
        Assert.That(phone.Incognito, Is.True);
    }

    [Test]
    public async Task An_action_the_version_lacks_is_refused_before_touching_the_phone()
    {
        var (phone, driver) = await LaunchedAsync("en", "3.4.0");
        var error = Assert.ThrowsAsync<BrowserActionNotAvailableException>(() => driver.SetEnhancedIncognitoAsync(true));
        Assert.That(error!.Message, Does.Contain("3.4.0").And.Contain("enhanced-incognito-on").And.Contain("mint.yaml"));
        Assert.That(phone.TappedIds, Is.Empty);
    }

    [Test]
    public void A_version_in_no_range_names_the_profile_file_and_the_version()
    {
        var phone = new ScriptedBrowserPhone("en", "3.6.1");
        var error = Assert.ThrowsAsync<BrowserVersionNotSupportedException>(() => BrowserDriver.AttachAsync(phone, Mint, FastOptions));
        Assert.That(error!.InstalledVersion, Is.EqualTo("3.6.1"));
        Assert.That(error.ProfileFile, Does.EndWith("mint.yaml"));
        Assert.That(error.Message, Does.Contain("mint.yaml").And.Contain("3.6.1").And.Contain(">=3.5.0 <3.6.0"));
    }

    [Test]
    public void A_browser_that_is_not_installed_is_named()
    {
        var phone = new ScriptedBrowserPhone("en", versionName: "3.4.3") { VersionName = null };
        var error = Assert.ThrowsAsync<BrowserNotInstalledException>(() => BrowserDriver.AttachAsync(phone, Mint, FastOptions));
        Assert.That(error!.Package, Is.EqualTo(ScriptedBrowserPhone.MintPackage));
    }

    [TestCase("3.4.3", "3.4.3", 0)]
    [TestCase("3.4", "3.4.0", 0)]
    [TestCase("12.1.3-g", "12.1.3", 0)]
    [TestCase("3.4.10", "3.4.9", 1)]
    [TestCase("3.4.2", "3.4.3", -1)]
    public void Versions_compare_by_their_numbers(string left, string right, int sign) =>
        Assert.That(Math.Sign(AppVersion.Parse(left).CompareTo(AppVersion.Parse(right))), Is.EqualTo(sign));

    [TestCase(">=3.4.3 <3.5.0", "3.4.3", true)]
    [TestCase(">=3.4.3 <3.5.0", "3.4.2", false)]
    [TestCase(">=3.4.3 <3.5.0", "3.5.0", false)]
    [TestCase(">3.4.3", "3.4.3", false)]
    [TestCase("<=12.1.3", "12.1.3-g", true)]
    [TestCase("=13.0.1", "13.0.1", true)]
    [TestCase("13.0.1", "13.0.2", false)]
    public void Ranges_hold_every_comparison(string range, string version, bool contained)
    {
        Assert.That(VersionRange.TryParse(range, out var parsed, out var error), Is.True, error);
        Assert.That(parsed.Contains(AppVersion.Parse(version)), Is.EqualTo(contained));
    }

    [TestCase(">=3.4.x", "is not a comparison")]
    [TestCase("~3.4", "is not a comparison")]
    [TestCase(">=3.5 <3.4", "matches no version")]
    [TestCase("", "empty")]
    public void Bad_ranges_say_what_is_wrong(string range, string message)
    {
        Assert.That(VersionRange.TryParse(range, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(message));
    }
}
