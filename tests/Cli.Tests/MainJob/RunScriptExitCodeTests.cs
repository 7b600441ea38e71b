using Harness.Cli.Tests.Hardening;

namespace Harness.Cli.Tests.MainJob;

/// <summary>
/// run.ps1 end to end through `dotnet pwsh`, on racks of virtual phones it starts itself from devices.json, attached to
/// a private adb server: every exit code of the main job (0, 1, 2, 4) and a night across two browser versions, each
/// checked against the summary table `harness summary` printed and wrote.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RunScriptExitCodeTests
{
    private static string Summary(ScriptRack rack, string outName)
    {
        var path = Path.Combine(rack.Out(outName), "summary.txt");
        Assert.That(File.Exists(path), $"no summary.txt in {rack.Out(outName)}");
        return File.ReadAllText(path);
    }

    [Test]
    public async Task A_selection_where_everything_passes_exits_0_with_device_facts_our_CA_and_a_bundle_that_verifies()
    {
        await using var rack = await ScriptRack.CreateAsync(new ScriptRack.Phone("Redmi Note 8", true, "mint@3.4.0"));
        var serial = rack.Serials[0];

        var run = await rack.RunAsync("out", "-Scenario", "control-leak", "-Browser", "mint");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var summary = Summary(rack, "out");
        Assert.That(summary, Does.Match(@"│ mint 3\.4\.0 +│ control-leak +│ incognito=off +│ pass +│ Redmi Note 8 +│"), summary);
        Assert.That(summary, Does.Contain("cases: 1   pass: 1   LEAK: 0   inconclusive: 0   n/a: 0"));
        Assert.That(summary.TrimEnd(), Does.EndWith("exit 0 (all pass)"));
        Assert.That(run.Stdout, Does.Contain("exit 0 (all pass)"), "run.ps1 prints the table harness summary made");

        var bundle = Path.Combine(rack.Out("out"), "bundle");
        var device = Path.Combine(bundle, "devices", serial.Replace(':', '_'));
        Assert.That(File.Exists(Path.Combine(device, "facts.json")), $"no device facts for {serial} in the bundle: {string.Join(", ", Directory.EnumerateFileSystemEntries(bundle, "*", SearchOption.AllDirectories))}");
        Assert.That(File.ReadAllText(Path.Combine(device, "facts.json")), Does.Contain("com.mi.globalbrowser.mini").And.Contain("system store"));
        Assert.That(File.Exists(Path.Combine(device, "getprop.txt")));
        Assert.That(File.ReadAllText(Path.Combine(bundle, "proxy", "ca.pem")), Does.StartWith("-----BEGIN CERTIFICATE-----"));
        var verify = await BuiltCli.RunAsync(["verify", bundle]);
        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.ToString());
    }

    [Test]
    public async Task A_leak_exits_1_and_the_table_names_it()
    {
        await using var rack = await ScriptRack.CreateAsync(new ScriptRack.Phone("Redmi Note 8", true, "mint@3.4.0"));

        var run = await rack.RunAsync("out", "-Scenario", "incognito-url", "-Browser", "mint");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        var summary = Summary(rack, "out");
        // The 2020 Mint sends the visited URL to Sensors Analytics in incognito; it has no Enhanced Incognito Mode.
        Assert.That(summary, Does.Match(@"│ mint 3\.4\.0 +│ incognito-url +│ incognito=on,enhanced-incognito=off +│ LEAK +│ Redmi Note 8 +│ [^│]*sa\.api\.intl\.miui\.com:url"), summary);
        Assert.That(summary, Does.Match(@"│ incognito=on,enhanced-incognito=on +│ n/a +│"), summary);
        Assert.That(summary.TrimEnd(), Does.EndWith("exit 1 (leak found)"));
    }

    [Test]
    public async Task A_case_that_cannot_be_confirmed_exits_2()
    {
        // Not rooted: our CA only reaches the user store, which the browser does not trust, so its HTTPS telemetry is
        // unseen and no case may pass.
        await using var rack = await ScriptRack.CreateAsync(new ScriptRack.Phone("Redmi Note 8", false, "mint@3.4.3"));

        var run = await rack.RunAsync("out", "-Scenario", "incognito-url", "-Browser", "mint");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        var summary = Summary(rack, "out");
        Assert.That(summary, Does.Match(@"│ mint 3\.4\.3 +│ incognito-url +│ incognito=on,enhanced-incognito=off +│ inconclusive +│ Redmi Note 8 +│"), summary);
        Assert.That(summary, Does.Not.Contain(" pass "), "nothing unseen passes");
        Assert.That(summary.TrimEnd(), Does.EndWith("exit 2 (inconclusive)"));
    }

    [Test]
    public async Task A_phone_that_cannot_be_prepared_exits_4_while_the_other_phone_runs()
    {
        await using var rack = await ScriptRack.CreateAsync(new ScriptRack.Phone("Redmi Note 8", true, "mint@3.4.0"), new ScriptRack.Phone(null));
        var missing = rack.Serials[1];

        var run = await rack.RunAsync("out", "-Scenario", "control-leak", "-Browser", "mint");

        Assert.That(run.ExitCode, Is.EqualTo(4), run.ToString());
        var summary = Summary(rack, "out");
        Assert.That(summary, Does.Match(@"│ mint 3\.4\.0 +│ control-leak +│ incognito=off +│ pass +│ Redmi Note 8 +│"), "the other phone ran: " + summary);
        Assert.That(summary, Does.Contain($"phone {missing}: could not be prepared"), summary);
        Assert.That(summary.TrimEnd(), Does.EndWith("exit 4 (infrastructure)"));
        var broken = Directory.EnumerateFiles(Path.Combine(rack.Out("out"), "allure-results"), "*-result.json").Select(File.ReadAllText)
            .Where(r => r.Contains(missing, StringComparison.Ordinal)).ToList();
        Assert.That(broken, Is.Not.Empty, "the lost phone's planned cases are broken Allure results");
        Assert.That(broken, Has.All.Contain("\"broken\""));
    }

    [Test]
    public async Task A_night_across_two_versions_reports_the_fixed_leak_and_exits_0()
    {
        await using var rack = await ScriptRack.CreateAsync(new ScriptRack.Phone("Redmi Note 8", true, "mibrowser@12.1.3"));
        var day = await rack.RunAsync("day", "-Browser", "mibrowser", "-Scenario", "incognito-url");
        Assert.That(day.ExitCode, Is.EqualTo(1), "12.1.3 leaks in incognito: " + day);

        var apks = rack.Folder.Combine("apks");
        SuiteRack.WriteApk(apks, "mibrowser@12.1.4");
        var night = await rack.RunAsync("night", "-Nightly", "-Apks", apks, "-Browser", "mibrowser", "-Scenario", "incognito-url");

        Assert.That(night.Stdout, Does.Contain("12.1.3 (121030) -> 12.1.4 (121040)"), night.ToString());
        Assert.That(night.ExitCode, Is.EqualTo(0), "a fixed leak does not fail the night: " + night);
        var regression = File.ReadAllText(Path.Combine(rack.Out("night"), "regression.md"));
        Assert.That(regression, Does.Contain("fixed leak"));
        var summary = Summary(rack, "night");
        Assert.That(summary, Does.Match(@"│ mibrowser 12\.1\.4 +│ incognito-url +│ incognito=on,enhanced-incognito=off +│ pass +│"), summary);
        Assert.That(summary, Does.Contain("regression: NewLeak 0, FixedLeak 1"), summary);
        Assert.That(summary.TrimEnd(), Does.EndWith("exit 0 (all pass)"));
    }
}
