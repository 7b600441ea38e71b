using Harness.Browsers;
using Harness.Scenarios.Tests.Browsers.Fakes;
using static Harness.Scenarios.Tests.Browsers.BrowserDriverRecipeTests;

namespace Harness.Scenarios.Tests.Browsers;

/// <summary>The Mi Browser and MIUI China profiles against dumps of their screens (address bar id `url`, their own package).</summary>
[TestFixture]
public sealed class OtherBrowserProfilesTests
{
    private static IEnumerable<TestCaseData> Browsers()
    {
        foreach (var language in new[] { "en", "es" })
        {
            yield return new TestCaseData("mibrowser.yaml", FakeBrowserModel.MiBrowser, "12.1.3", language).SetName($"Mi Browser 12.1.3 {language}");
            yield return new TestCaseData("mibrowser.yaml", FakeBrowserModel.MiBrowser, "12.1.4", language).SetName($"Mi Browser 12.1.4 {language}");
            yield return new TestCaseData("mibrowser.yaml", FakeBrowserModel.MiBrowser, "12.2.6", language).SetName($"Mi Browser 12.2.6 {language}");
            yield return new TestCaseData("miuibrowser.yaml", FakeBrowserModel.MiuiBrowser, "12.1.2", language).SetName($"MIUI China 12.1.2 {language}");
            yield return new TestCaseData("miuibrowser.yaml", FakeBrowserModel.MiuiBrowser, "13.0.1", language).SetName($"MIUI China 13.0.1 {language}");
        }
    }

    [TestCaseSource(nameof(Browsers))]
    public async Task The_profile_drives_its_browser(string file, FakeBrowserModel model, string version, string language)
    {
        var profile = BrowserProfileLoader.LoadFile(Path.Combine(RepositoryPaths.BrowserProfiles, file));
        var phone = new ScriptedBrowserPhone(language, version, model: model);
        var driver = await BrowserDriver.AttachAsync(phone, profile, FastOptions);
        await driver.LaunchAsync();
        Assert.That(phone.Resolves, Is.Zero, "the profile names its launch activity");
        Assert.That(phone.StartedComponents, Is.EqualTo(new[] { model.LauncherComponent }));

        await driver.OpenUrlAsync("https://canary-x1.example/p");
        Assert.That(phone.CurrentUrl, Is.EqualTo("https://canary-x1.example/p"));
        Assert.That(phone.TappedIds[0], Is.EqualTo("url"));

        await driver.SetIncognitoAsync(true);
        Assert.That(await driver.IsIncognitoAsync(), Is.True);
        Assert.That(driver.Supports(BrowserAction.EnhancedIncognitoOn), Is.EqualTo(model.HasEnhanced(version)));
        if (driver.Supports(BrowserAction.EnhancedIncognitoOn))
        {
            await driver.SetEnhancedIncognitoAsync(true);
            Assert.That(phone.Enhanced, Is.True);
        }
        await driver.SearchAsync("term-q7");
        Assert.That(phone.CurrentUrl, Does.EndWith("q=term-q7"));
        await driver.RunAsync(BrowserAction.OpenNewsItem);
        Assert.That(phone.CurrentUrl, Does.EndWith("/article/1"));
    }
}
