using System.Text.Json;
using Harness.Cli.Tests.Hardening;

namespace Harness.Cli.Tests.MainJob;

/// <summary>
/// `harness run`, `harness nightly` and the NUnit suite are adapters over one run lifecycle: on the same virtual phone
/// and selection they leave the same artefacts (bundle layout with device facts and our CA, suite-results.jsonl lines,
/// Allure results, and the summary `harness summary` prints from them), and each gives the phone its own proxy setting back.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ThreeEntryPointsTests
{
    [Test]
    public async Task Run_nightly_and_the_suite_produce_the_same_artefacts()
    {
        await using var rack = await SuiteRack.StartAsync(("Redmi Note 8", ["mint@3.4.0"]));
        var serial = rack.Phones[0].Serial;
        var scenarios = Path.Combine(BuiltCli.FindRepositoryRoot(), "scenarios");
        string[] common = ["--devices", rack.DevicesFile, "--scenario", "incognito-url", "--browser", "mint", "--settle", "2", "--history", rack.HistoryDatabase,
            "--scenarios", scenarios, "--ca-dir", rack.Folder.Combine("ca"), "--signing-dir", rack.Folder.Combine("signing")];

        // The phone goes through a proxy of its own: every entry point must give it back.
        const string ownProxy = "127.0.0.1:3128";
        Assert.That((await rack.Adb.RunAdbAsync("-s", serial, "shell", "settings", "put", "global", "http_proxy", ownProxy)).ExitCode, Is.EqualTo(0));
        async Task<string> HttpProxy() => (await rack.Adb.RunAdbAsync("-s", serial, "shell", "settings", "get", "global", "http_proxy")).Stdout.Trim();

        var run = await BuiltCli.RunAsync(["run", .. common, "--out", rack.Folder.Combine("run"), "--progress", "lines"], TimeSpan.FromMinutes(4), rack.Folder.Path);
        Assert.That(run.ExitCode, Is.EqualTo(1), "3.4.0 leaks in incognito: " + run);

        Assert.That(await HttpProxy(), Is.EqualTo(ownProxy), "after harness run");

        var apks = rack.Folder.Combine("apks");
        SuiteRack.WriteApk(apks, "mint@3.4.0");
        var nightly = await BuiltCli.RunAsync(["nightly", .. common, "--apks", apks, "--out", rack.Folder.Combine("nightly")], TimeSpan.FromMinutes(4), rack.Folder.Path);
        Assert.That(File.Exists(rack.Folder.Combine("nightly", "regression.md")), nightly.ToString());

        Assert.That(await HttpProxy(), Is.EqualTo(ownProxy), "after harness nightly");

        var environment = rack.Environment(rack.Folder.Combine("suite"), settleSeconds: 2);
        environment["HARNESS_SCENARIO"] = "incognito-url";
        environment["HARNESS_BROWSER"] = "mint";
        var suite = await LeakSuiteProcess.RunSuiteAsync("TestCategory=LeakSuite", rack.Folder.Combine("trx"), environment,
            line => TestContext.Progress.WriteLine("  suite| " + line), TimeSpan.FromMinutes(4));

        Assert.That(await HttpProxy(), Is.EqualTo(ownProxy), "after the suite");

        var outputs = new[] { "run", "nightly", "suite" }.ToDictionary(name => name, name => rack.Folder.Combine(name));
        var summaries = new Dictionary<string, CliResult>();
        foreach (var (name, output) in outputs)
            summaries[name] = await BuiltCli.RunAsync(["summary", output]);

        Assert.Multiple(() =>
        {
            foreach (var (name, output) in outputs)
            {
                var context = $"{name}: {(name == "run" ? run : name == "nightly" ? nightly : suite)}";
                Assert.That(summaries[name].ExitCode, Is.EqualTo(1), context);
                Assert.That(summaries[name].Stdout, Is.EqualTo(summaries["run"].Stdout), $"the summary of {name}");
                Assert.That(BundleLayout(output), Is.EqualTo(BundleLayout(outputs["run"])), $"the bundle layout of {name}");
                Assert.That(ResultLines(output), Is.EqualTo(ResultLines(outputs["run"])), $"the suite-results.jsonl lines of {name}");
                Assert.That(AllureStatuses(output), Is.EqualTo(AllureStatuses(outputs["run"])), $"the Allure results of {name}");
                Assert.That(File.Exists(Path.Combine(output, "allure-results", "environment.properties")), name);
            }
        });
        var layout = BundleLayout(outputs["run"]);
        Assert.That(layout, Does.Contain("proxy/ca.pem").And.Contain($"devices/{serial.Replace(':', '_')}/facts.json"), string.Join("\n", layout));
        Assert.That(summaries["run"].Stdout, Does.Match(@"│ mint 3\.4\.0 +│ incognito-url +│ incognito=on,enhanced-incognito=off +│ LEAK +│ Redmi Note 8 +│"));
        foreach (var output in outputs.Values)
            Assert.That((await BuiltCli.RunAsync(["verify", Path.Combine(output, "bundle")])).ExitCode, Is.EqualTo(0), output);
    }

    /// <summary>Every file of the bundle, relative and sorted (case folders are named by case id, which names the phone).</summary>
    private static List<string> BundleLayout(string output)
    {
        var bundle = Path.Combine(output, "bundle");
        return Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(bundle, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The lines without their times and run id: what was run and concluded.</summary>
    private static List<string> ResultLines(string output) =>
        File.ReadAllLines(Path.Combine(output, "suite-results.jsonl")).Where(l => l.Length > 0).Select(l =>
        {
            var line = JsonDocument.Parse(l).RootElement;
            string Text(string name) => line.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var findings = line.TryGetProperty("findings", out var f) ? string.Join(",", f.EnumerateArray().Select(x => x.GetString())) : "";
            return string.Join(" | ", Text("kind"), Text("serial"), Text("model"), Text("browser"), Text("package"), Text("version"), Text("scenario"),
                Text("mode"), Text("verdict"), Text("kind") == "run" ? "" : Text("reason"), findings);
        }).Order(StringComparer.Ordinal).ToList();

    private static List<string> AllureStatuses(string output) =>
        Directory.EnumerateFiles(Path.Combine(output, "allure-results"), "*-result.json").Select(f =>
        {
            var result = JsonDocument.Parse(File.ReadAllText(f)).RootElement;
            return $"{result.GetProperty("name").GetString()} {result.GetProperty("status").GetString()}";
        }).Order(StringComparer.Ordinal).ToList();
}
