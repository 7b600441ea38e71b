using Harness.Adb.Ui;
using Harness.Browsers;
using Harness.TestSupport;
using Harness.VirtualDevice.Browsers;

namespace Harness.VirtualDevice.Tests.Browsers;

/// <summary>
/// The REAL BrowserDriver with the shipped profiles (scenarios/browsers/*.yaml) against each virtual browser, through
/// the real adb server: every action of the profile, read back from the screen, in English and Spanish.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class BrowserProfileIntegrationTests
{
    private PrivateAdbServer _adb = null!;

    [OneTimeSetUp]
    public async Task StartAdbAsync() => _adb = await PrivateAdbServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAdbAsync()
    {
        if (_adb != null) await _adb.DisposeAsync();
    }

    [TestCase("mint@3.4.0", "en-US")]
    [TestCase("mint@3.4.4", "es-ES")]
    [TestCase("mint@3.5.2", "en-US")]
    [TestCase("mibrowser@12.1.3", "es-ES")]
    [TestCase("mibrowser@12.2.6", "en-US")]
    [TestCase("miuibrowser@12.1.2", "en-US")]
    [TestCase("miuibrowser@13.0.1", "es-ES")]
    [CancelAfter(120_000)]
    public async Task Every_profile_action_works_and_reads_back(string versionName, string locale, CancellationToken ct)
    {
        var version = BrowserCatalog.Find(versionName)!;
        await using var rig = await BrowserRig.StartAsync(_adb, locale: locale, ct: ct);
        await rig.InstallAsync(version, ct);
        await rig.RouteThroughProxyAsync(ct);
        var driver = await rig.AttachDriverAsync(version.Flavor, ct);
        Assert.That(driver.Language, Is.EqualTo(locale[..2]));
        await driver.LaunchAsync(ct);
        var package = version.Flavor.Package;

        await driver.OpenUrlAsync("https://www.example.org/articles/one", ct);
        Assert.That(await TextOfAsync(rig, package, version.Flavor.AddressBarId, ct), Is.EqualTo("https://www.example.org/articles/one"));
        await driver.SearchAsync("virtualphone", ct);
        Assert.That(await driver.IsIncognitoAsync(ct), Is.False);

        await driver.RunAsync(BrowserAction.NewIncognitoTab, cancellationToken: ct);
        Assert.That(await driver.IsIncognitoAsync(ct), Is.True);
        await driver.SetIncognitoAsync(false, ct);
        Assert.That(await driver.IsIncognitoAsync(ct), Is.False);
        await driver.SetIncognitoAsync(true, ct);
        Assert.That(await driver.IsIncognitoAsync(ct), Is.True);

        Assert.That(driver.Supports(BrowserAction.EnhancedIncognitoOn), Is.EqualTo(version.Traits.HasEnhancedIncognito));
        if (version.Traits.HasEnhancedIncognito)
        {
            await driver.SetEnhancedIncognitoAsync(true, ct);
            await driver.SetEnhancedIncognitoAsync(false, ct);
        }
        await driver.SetIncognitoAsync(false, ct);

        Assert.That(await driver.IsSignedInAsync(ct), Is.False);
        await driver.SignInAsync("1790042517", "secret", ct);
        Assert.That(await driver.IsSignedInAsync(ct), Is.True);
        await driver.SetSyncAsync(true, ct);
        await driver.SetSyncAsync(false, ct);
        await driver.RunAsync(BrowserAction.SignOut, cancellationToken: ct);
        Assert.That(await driver.IsSignedInAsync(ct), Is.False);

        await driver.RunAsync(BrowserAction.ClearBrowsingData, cancellationToken: ct);
        await driver.RunAsync(BrowserAction.OpenNewsItem, cancellationToken: ct);
        var newsHost = version.Flavor.NewsHost;
        Assert.That(await TextOfAsync(rig, package, version.Flavor.AddressBarId, ct), Does.StartWith($"https://{newsHost}/article/"));
        await driver.RunAsync(BrowserAction.GoHome, cancellationToken: ct);
        var home = await rig.Device.DumpScreenAsync(ct);
        Assert.That(home.AllElements.Count(e => e.ResourceId == $"{package}:id/news_item"), Is.EqualTo(3));

        var flows = await rig.WaitForFlowsAsync(all => all.Any(f => f.Url?.StartsWith($"https://{newsHost}/article/") == true), TimeSpan.FromSeconds(10), "the news article load", ct);
        Assert.That(flows.Any(f => f.Url == "https://www.google.com/search?q=virtualphone"), Is.True);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_url_opened_by_intent_shows_in_the_page_view(CancellationToken ct)
    {
        var version = BrowserCatalog.Find("mibrowser@12.1.4")!;
        await using var rig = await BrowserRig.StartAsync(_adb, ct: ct);
        await rig.InstallAsync(version, ct);
        await rig.RouteThroughProxyAsync(ct);
        await rig.Device.StartActivityAsync("android.intent.action.VIEW", "https://intent.example.net/landing", version.Flavor.Package, ct);
        var title = await rig.Device.WaitForElementAsync(UiSelector.ResourceId($"{version.Flavor.Package}:id/page_title"), TimeSpan.FromSeconds(10), ct);
        Assert.That(title.Text, Is.EqualTo("https://intent.example.net/landing"), "a sinkholed page has no <title>: the URL stands in");
        Assert.That(await TextOfAsync(rig, version.Flavor.Package, "url", ct), Is.EqualTo("https://intent.example.net/landing"));
        var focused = await rig.Device.GetFocusedActivityAsync(ct);
        Assert.That(focused?.PackageName, Is.EqualTo(version.Flavor.Package));
    }

    private static async Task<string?> TextOfAsync(BrowserRig rig, string package, string id, CancellationToken ct) =>
        (await rig.Device.DumpScreenAsync(ct)).AllElements.FirstOrDefault(e => e.ResourceId == $"{package}:id/{id}")?.Text;
}
