using System.Text.Json;
using Harness.Cli.Tests.Hardening;
using Harness.VirtualDevice.Browsers;

namespace Harness.Cli.Tests.MainJob;

/// <summary>
/// `harness nightly` across versions of Mi Browser on one virtual phone: 12.1.3 (leaks in incognito), then 12.1.4
/// (fixed: a fixed leak, exit 0), then a hypothetical 12.2.7 that leaks again (a new leak, exit 1).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class NightlyAcrossVersionsTests
{
    [Test]
    public async Task ANewerVersionReportsFixedLeakThenANewLeak()
    {
        await using var rack = await SuiteRack.StartAsync(1.0, ("Redmi Note 8", ["mibrowser@12.1.3"]));
        var night1 = rack.Folder.Combine("apks-1");
        SuiteRack.WriteApk(night1, "mibrowser@12.1.3");
        var night2 = rack.Folder.Combine("apks-2");
        SuiteRack.WriteApk(night2, "mibrowser@12.1.4");
        var night3 = rack.Folder.Combine("apks-3");
        Directory.CreateDirectory(night3);
        // A regression build: newer than 12.1.4, with Enhanced Incognito Mode, and the 2020 telemetry back in incognito.
        var regression = new BrowserVersion(BrowserCatalog.MiBrowser, "12.2.7", 122070,
            new BrowserVersionTraits { SendsBrowsingInIncognito = true, HasEnhancedIncognito = true });
        await File.WriteAllBytesAsync(Path.Combine(night3, regression.ApkFileName), regression.BuildApk());

        async Task<(CliResult Cli, JsonElement Report)> Night(string apks, string name)
        {
            var output = rack.Folder.Combine(name);
            var cli = await BuiltCli.RunAsync(
                ["nightly", "--devices", rack.DevicesFile, "--apks", apks, "--scenario", "incognito-url", "--browser", "mibrowser", "--settle", "3",
                 "--history", rack.HistoryDatabase, "--out", output, "--scenarios", Path.Combine(BuiltCli.FindRepositoryRoot(), "scenarios"),
                 "--ca-dir", rack.Folder.Combine("ca"), "--signing-dir", rack.Folder.Combine("signing")],
                TimeSpan.FromMinutes(6), rack.Folder.Path);
            var path = Path.Combine(output, "regression.json");
            Assert.That(File.Exists(path), $"{name} wrote no regression.json: {cli}");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
            return (cli, json.RootElement.Clone());
        }

        static JsonElement Entry(JsonElement report, string mode) =>
            report.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("mode").GetString() == mode);

        var (first, firstReport) = await Night(night1, "night-1");
        Assert.That(first.Stdout, Does.Contain("com.mi.globalbrowser 12.1.3"), "the installed version is read back");
        Assert.That(Entry(firstReport, "incognito=on,enhanced-incognito=off").GetProperty("change").GetString(), Is.EqualTo("NoBaseline"), first.ToString());
        Assert.That(Entry(firstReport, "incognito=on,enhanced-incognito=off").GetProperty("verdict").GetString(), Is.EqualTo("fail"), "12.1.3 leaks in incognito");
        Assert.That(first.ExitCode, Is.EqualTo(0), "a first night has nothing to regress against");

        var (second, secondReport) = await Night(night2, "night-2");
        Assert.That(second.Stdout, Does.Contain("12.1.3 (121030) -> 12.1.4 (121040)"), second.ToString());
        var fixedEntry = Entry(secondReport, "incognito=on,enhanced-incognito=off");
        Assert.That(fixedEntry.GetProperty("change").GetString(), Is.EqualTo("FixedLeak"), second.ToString());
        Assert.That(fixedEntry.GetProperty("baselineVersion").GetString(), Is.EqualTo("12.1.3"));
        Assert.That(fixedEntry.GetProperty("fixedFindings").GetArrayLength(), Is.GreaterThan(0));
        Assert.That(second.ExitCode, Is.EqualTo(0), "a fixed leak does not fail the night");

        var (third, thirdReport) = await Night(night3, "night-3");
        var newLeak = Entry(thirdReport, "incognito=on,enhanced-incognito=off");
        Assert.That(newLeak.GetProperty("change").GetString(), Is.EqualTo("NewLeak"), third.ToString());
        Assert.That(newLeak.GetProperty("baselineVersion").GetString(), Is.EqualTo("12.1.4"));
        Assert.That(newLeak.GetProperty("newFindings").EnumerateArray().Select(f => f.GetString()), Has.Some.EndsWith(":url"));
        Assert.That(third.ExitCode, Is.EqualTo(1), "a new leak fails the night");
        Assert.That(await File.ReadAllTextAsync(rack.Folder.Combine("night-3", "regression.md")), Does.Contain("NEW LEAK"));
    }
}
