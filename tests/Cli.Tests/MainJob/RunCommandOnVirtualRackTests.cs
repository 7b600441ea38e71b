using System.Text.RegularExpressions;
using Harness.Cli.Tests.Hardening;

namespace Harness.Cli.Tests.MainJob;

/// <summary>
/// `harness run` end to end on one virtual phone through a private real adb server: the control scenario on a 2020
/// Mint (its leak must be found, so the case passes), with the live per-phone bars and with plain event lines.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RunCommandOnVirtualRackTests
{
    private static async Task<CliResult> RunAsync(SuiteRack rack, string name, string progress) =>
        await BuiltCli.RunAsync(
            ["run", "--devices", rack.DevicesFile, "--scenario", "control-leak", "--browser", "mint", "--settle", "2",
             "--out", rack.Folder.Combine(name), "--history", rack.HistoryDatabase,
             "--scenarios", Path.Combine(BuiltCli.FindRepositoryRoot(), "scenarios"),
             "--ca-dir", rack.Folder.Combine("ca"), "--signing-dir", rack.Folder.Combine("signing"), "--progress", progress],
            TimeSpan.FromMinutes(4), rack.Folder.Path);

    [Test]
    public async Task LiveProgressDrawsABarPerPhoneAndTheSummaryFollows()
    {
        await using var rack = await SuiteRack.StartAsync(("Redmi Note 8", ["mint@3.4.0"]));
        var serial = rack.Phones[0].Serial;

        var live = await RunAsync(rack, "live", "live");
        Assert.That(live.ExitCode, Is.EqualTo(0), live.ToString());
        Assert.That(live.Stdout, Does.Contain("\u001b[2A"), "the bars are redrawn in place with ANSI cursor control");
        var text = Regex.Replace(live.Stdout, "\u001b\\[[0-9;?]*[A-Za-z]", "");
        Assert.That(text, Does.Contain($"{serial} 0/1 control-leak / mint / incognito=off"), "the bar names the running case");
        Assert.That(text, Does.Contain($"{serial} 1/1 done, restored"), "the phone's bar ends with its case count and restore");
        Assert.That(text, Does.Contain($"{serial} pass control-leak / mint 3.4.0 / incognito=off: leak-expected"), "event lines go above the bars");
        Assert.That(text, Does.Match(@"│ mint 3\.4\.0 +│ control-leak +│ incognito=off +│ pass +│ Redmi Note 8 +│"), "the summary table follows");
        Assert.That(text, Does.Contain("exit 0 (all pass)"));
        Assert.That(text, Does.Not.Contain("umount: not found"), "the system-store injection is undone");
        Assert.That(text, Does.Contain("evidence: "));

        var lines = await RunAsync(rack, "lines", "lines");
        Assert.That(lines.ExitCode, Is.EqualTo(0), lines.ToString());
        Assert.That(lines.Stdout, Does.Not.Contain("\u001b["), "a log gets plain lines");
        Assert.That(lines.Stdout, Does.Contain($"{serial} start  control-leak / mint / incognito=off"));
        Assert.That(lines.Stdout, Does.Contain($"{serial} restored"));
    }

    [Test]
    public async Task A_sign_in_with_the_account_from_environment_variables_leaves_no_password_in_the_output_and_the_bundle_verifies()
    {
        const string password = "Env-Pw-for-the-grep-93";
        await using var rack = await SuiteRack.StartAsync(("Redmi Note 8", ["mint@3.4.0"]));
        var output = rack.Folder.Combine("signed-in");
        var run = await BuiltCli.RunAsync(
            ["run", "--devices", rack.DevicesFile, "--scenario", "normal-sync-on", "--browser", "mint", "--settle", "2",
             "--out", output, "--history", rack.HistoryDatabase, "--scenarios", Path.Combine(BuiltCli.FindRepositoryRoot(), "scenarios"),
             "--ca-dir", rack.Folder.Combine("ca"), "--signing-dir", rack.Folder.Combine("signing"), "--progress", "lines",
             "--account-env", "HARNESS_TEST_MI_ID:HARNESS_TEST_MI_PASSWORD"],
            TimeSpan.FromMinutes(4), rack.Folder.Path,
            new Dictionary<string, string> { ["HARNESS_TEST_MI_ID"] = "qa@example.org", ["HARNESS_TEST_MI_PASSWORD"] = password });
        Assert.That(run.ExitCode, Is.EqualTo(1), "normal browsing with sync on leaks the URL: " + run);
        Assert.That(run.Stdout, Does.Contain("LEAK normal-sync-on / mint 3.4.0"), run.ToString());

        var md5 = Convert.ToHexString(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(password)));
        var files = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).ToList();
        Assert.That(files.Where(f => f.EndsWith(".har", StringComparison.Ordinal)), Is.Not.Empty);
        var holding = files.Where(f =>
        {
            var text = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(f));
            return text.Contains(password, StringComparison.Ordinal) || text.Contains(md5, StringComparison.OrdinalIgnoreCase);
        }).ToList();
        Assert.That(holding, Is.Empty, "files of the output folder (results, Allure, HAR, bundle, logs) holding the password or its digest");
        Assert.That(run.Stdout + run.Stderr, Does.Not.Contain(password));
        var bundleHars = files.Where(f => f.StartsWith(Path.Combine(output, "bundle"), StringComparison.Ordinal) && f.EndsWith(".har", StringComparison.Ordinal)).ToList();
        Assert.That(bundleHars.Any(f => File.ReadAllText(f).Contains("[masked:account-password]", StringComparison.Ordinal)), Is.True,
            "the sign-in request is in the bundled capture, masked");
        Assert.That(await File.ReadAllTextAsync(Path.Combine(output, "bundle", "redactions.json")), Does.Contain("account-password@request.body"));

        var verify = await BuiltCli.RunAsync(["verify", Path.Combine(output, "bundle")]);
        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.ToString());
    }
}
