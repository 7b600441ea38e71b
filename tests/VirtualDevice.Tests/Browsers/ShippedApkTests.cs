using Harness.Adb;
using Harness.TestSupport;
using Harness.VirtualDevice.Apps;
using Harness.VirtualDevice.Browsers;

namespace Harness.VirtualDevice.Tests.Browsers;

/// <summary>tests/apks holds one virtual APK per shipped version (tests/apks/build-apks.sh writes them); they match the catalog and `adb install` takes them.</summary>
[TestFixture]
public sealed class ShippedApkTests
{
    private static string ApkFolder => Path.Combine(BrowserRig.RepositoryRoot(), "tests", "apks");

    private static IEnumerable<TestCaseData> Versions() =>
        BrowserCatalog.Versions.Select(v => new TestCaseData(v.Name).SetName($"Shipped_apk_{v.Flavor.Id}_{v.VersionName}"));

    [TestCaseSource(nameof(Versions))]
    public void The_committed_apk_carries_the_catalog_manifest(string name)
    {
        var version = BrowserCatalog.Find(name)!;
        var path = Path.Combine(ApkFolder, version.ApkFileName);
        Assert.That(File.Exists(path), Is.True, $"{path} is missing: run tests/apks/build-apks.sh");
        var manifest = VirtualApk.Parse(File.ReadAllBytes(path));
        Assert.That((manifest.Package, manifest.VersionName, manifest.VersionCode, manifest.Kind),
            Is.EqualTo((version.Flavor.Package, version.VersionName, version.VersionCode, version.Flavor.Kind)));
        Assert.That(BrowserVersionTraits.From(manifest.Behaviour), Is.EqualTo(version.Traits), "behaviour drifted from the catalog: rebuild the apks");
        Assert.That(new FileInfo(path).Length, Is.LessThan(4096), "committed binaries stay small");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Adb_install_of_a_committed_apk_then_an_upgrade(CancellationToken ct)
    {
        await using var adb = await PrivateAdbServer.StartAsync(ct);
        await using var phone = await VirtualPhoneFixture.StartAsync(adb, "Mi A1", ct);
        var older = BrowserCatalog.Find("mint@3.4.0")!;
        var newer = BrowserCatalog.Find("mint@3.4.3")!;
        var (exit, stdout, stderr) = await adb.RunAdbAsync(ct, "-s", phone.Serial, "install", Path.Combine(ApkFolder, older.ApkFileName));
        Assert.That(exit, Is.EqualTo(0), stdout + stderr);
        Assert.That(stdout, Does.Contain("Success"));
        (exit, stdout, stderr) = await adb.RunAdbAsync(ct, "-s", phone.Serial, "install", "-r", Path.Combine(ApkFolder, newer.ApkFileName));
        Assert.That(exit, Is.EqualTo(0), stdout + stderr);

        var client = new AdbClient(new AdbClientOptions { Port = adb.Port });
        var version = await client.GetPackageVersionAsync(phone.Serial, older.Flavor.Package, ct);
        Assert.That(version?.VersionName, Is.EqualTo("3.4.3"));
        var resolved = await client.ShellAsync(phone.Serial, $"cmd package resolve-activity --brief -c android.intent.category.LAUNCHER {older.Flavor.Package}", ct);
        Assert.That(resolved.Stdout, Does.Contain("com.mi.globalbrowser.mini/com.android.browser.BrowserActivity"));
    }
}
