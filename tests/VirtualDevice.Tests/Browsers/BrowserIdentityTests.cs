using System.Text;
using System.Text.Json.Nodes;
using Harness.Browsers;
using Harness.TestSupport;
using Harness.VirtualDevice.Browsers;

namespace Harness.VirtualDevice.Tests.Browsers;

/// <summary>The persistent uuid, Mi Account sign-in and history sync, observed only in captured traffic.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class BrowserIdentityTests
{
    private PrivateAdbServer _adb = null!;

    [OneTimeSetUp]
    public async Task StartAdbAsync() => _adb = await PrivateAdbServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAdbAsync()
    {
        if (_adb != null) await _adb.DisposeAsync();
    }

    [TestCase("mint@3.4.0")]
    [TestCase("mibrowser@12.1.4")]
    [TestCase("miuibrowser@13.0.1")]
    [CancelAfter(120_000)]
    public async Task The_uuid_survives_sessions_and_clearing_browsing_data_and_changes_on_pm_clear_and_reinstall(string versionName, CancellationToken ct)
    {
        var version = BrowserCatalog.Find(versionName)!;
        await using var rig = await BrowserRig.StartAsync(_adb, ct: ct);
        await rig.InstallAsync(version, ct);
        await rig.RouteThroughProxyAsync(ct);
        var driver = await rig.AttachDriverAsync(version.Flavor, ct);

        await driver.LaunchAsync(ct);
        var first = await UuidSeenAfterVisitAsync(rig, driver, ct);

        await driver.ForceStopAsync(ct);
        await driver.LaunchAsync(ct);
        var secondSession = await UuidSeenAfterVisitAsync(rig, driver, ct);

        await driver.RunAsync(BrowserAction.ClearBrowsingData, cancellationToken: ct);
        var afterInAppClear = await UuidSeenAfterVisitAsync(rig, driver, ct);

        await rig.Device.ClearAppDataAsync(version.Flavor.Package, ct);
        await driver.LaunchAsync(ct);
        var afterPmClear = await UuidSeenAfterVisitAsync(rig, driver, ct);

        await rig.Client.UninstallAsync(rig.Serial, version.Flavor.Package, ct);
        await rig.InstallAsync(version, ct);
        await driver.LaunchAsync(ct);
        var afterReinstall = await UuidSeenAfterVisitAsync(rig, driver, ct);

        Assert.Multiple(() =>
        {
            Assert.That(secondSession, Is.EqualTo(first), "a second session reuses the uuid");
            Assert.That(afterInAppClear, Is.EqualTo(first), "Clear browsing data keeps the uuid");
            Assert.That(afterPmClear, Is.Not.EqualTo(first), "pm clear wipes app data");
            Assert.That(afterReinstall, Is.Not.EqualTo(afterPmClear).And.Not.EqualTo(first), "a reinstall starts a new uuid");
        });
    }

    [TestCase("mint@3.4.3")]
    [TestCase("mibrowser@12.1.3")]
    [TestCase("miuibrowser@12.1.2")]
    [CancelAfter(120_000)]
    public async Task Sign_in_makes_the_account_the_distinct_id_and_sync_sends_history_only_outside_incognito(string versionName, CancellationToken ct)
    {
        var version = BrowserCatalog.Find(versionName)!;
        var flavor = version.Flavor;
        await using var rig = await BrowserRig.StartAsync(_adb, ct: ct);
        await rig.InstallAsync(version, ct);
        await rig.RouteThroughProxyAsync(ct);
        var driver = await rig.AttachDriverAsync(flavor, ct);
        await driver.LaunchAsync(ct);
        var uuid = await UuidSeenAfterVisitAsync(rig, driver, ct);

        const string account = "2277431905";
        await driver.SignInAsync(account, "hunter2", ct);
        var flows = await rig.WaitForFlowsAsync(all => SensorsCapture.From(all, flavor.SensorsHost).Events.Any(e => (string?)e["type"] == "track_signup"),
            TimeSpan.FromSeconds(10), "the track_signup upload", ct);
        var signup = SensorsCapture.From(flows, flavor.SensorsHost).Events.Single(e => (string?)e["type"] == "track_signup");
        Assert.That((string?)signup["distinct_id"], Is.EqualTo(account));
        Assert.That((string?)signup["original_id"], Is.EqualTo(uuid));

        var beforeSyncPage = $"https://beforesync-{Guid.NewGuid():N}.example.org/";
        await driver.OpenUrlAsync(beforeSyncPage, ct);
        await driver.SetSyncAsync(true, ct);
        var synced = $"https://synced-{Guid.NewGuid():N}.example.org/a";
        await driver.OpenUrlAsync(synced, ct);
        await driver.SetIncognitoAsync(true, ct);
        var privatePage = $"https://private-{Guid.NewGuid():N}.example.org/b";
        await driver.OpenUrlAsync(privatePage, ct);
        await driver.SetIncognitoAsync(false, ct);
        var after = $"https://after-{Guid.NewGuid():N}.example.org/c";
        await driver.OpenUrlAsync(after, ct);

        flows = await rig.WaitForFlowsAsync(
            all => SyncedUrls(all, flavor).Contains(after) && SensorsCapture.From(all, flavor.SensorsHost).Has("page_load_event_finish", "url", after),
            TimeSpan.FromSeconds(15), "the sync of the last page and its telemetry", ct);
        var syncedUrls = SyncedUrls(flows, flavor);
        var sensors = SensorsCapture.From(flows, flavor.SensorsHost);
        Assert.Multiple(() =>
        {
            Assert.That(syncedUrls, Does.Contain(synced));
            Assert.That(syncedUrls, Does.Not.Contain(privatePage), "nothing is synced in incognito");
            Assert.That(syncedUrls, Does.Not.Contain(beforeSyncPage), "nothing is synced before sync is switched on");
            var finish = sensors.Named("page_load_event_finish").Single(e => (string?)e["properties"]!["url"] == after);
            Assert.That((string?)finish["distinct_id"], Is.EqualTo(account), "after sign-in distinct_id is the Mi Account id");
            Assert.That((string?)finish["properties"]!["uuid"], Is.EqualTo(uuid), "the uuid stays a super property");
        });
    }

    private static List<string> SyncedUrls(IEnumerable<Harness.Flows.Flow> flows, BrowserFlavor flavor) =>
        flows.Where(f => f.Method == "POST" && f.Url == $"https://{flavor.SyncHost}/v1/history")
            .SelectMany(f => JsonNode.Parse(Encoding.UTF8.GetString(f.RequestBody!.Content))!["items"]!.AsArray())
            .Select(item => (string)item!["url"]!)
            .ToList();

    /// <summary>Opens a fresh page and returns the uuid super property of its page_load_event_finish as uploaded.</summary>
    internal static async Task<string> UuidSeenAfterVisitAsync(BrowserRig rig, BrowserDriver driver, CancellationToken ct)
    {
        var host = BrowserCatalog.Flavors.Single(f => f.Package == driver.Profile.Package).SensorsHost;
        var url = $"https://visit-{Guid.NewGuid():N}.example.org/";
        await driver.OpenUrlAsync(url, ct);
        var flows = await rig.WaitForFlowsAsync(all => SensorsCapture.From(all, host).Has("page_load_event_finish", "url", url), TimeSpan.FromSeconds(15), "the visit's telemetry", ct);
        var finish = SensorsCapture.From(flows, host).Named("page_load_event_finish").Single(e => (string?)e["properties"]!["url"] == url);
        return (string)finish["properties"]!["uuid"]!;
    }
}
