using Harness.VirtualDevice.Network.Internet;
using System.Text.Json;
using Harness.Cli.Tests.Hardening;
using Harness.Core;
using Harness.TestSupport;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Browsers;

namespace Harness.Cli.Tests.Profiles;

/// <summary>
/// Interrupting dialogs through `harness run` on a rooted virtual phone: the first-run dialogs every `clear-data` brings
/// back are dismissed in every shipped scenario and recorded as steps; a dialog no profile declares makes the case
/// inconclusive with its screenshot.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DialogTests
{
    private PrivateAdbServer _adb = null!;

    [OneTimeSetUp]
    public async Task StartAdbAsync() => _adb = await PrivateAdbServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAdbAsync() => await _adb.DisposeAsync();

    private static string Repo => BuiltCli.FindRepositoryRoot();

    private async Task<(VirtualPhoneFixture Phone, string[] Args)> PrepareAsync(TempFolder dir, string scenario, CancellationToken ct)
    {
        var profile = PhoneProfile.FindBuiltIn("Redmi Note 8")! with { Rooted = true };
        var phone = await VirtualPhoneFixture.StartAsync(_adb, profile, new VirtualPhoneOptions { TimeFactor = 0.1 }, ct);
        await phone.InstallBrowserAsync(BrowserCatalog.Find("mibrowser@12.1.3")!, ct);
        // An account, so the sign-in scenario (normal-sync-on) runs instead of being not applicable.
        dir.File("account.json", """{ "id": "dialog-test-account", "password": "Dialog-Pw-1" }""");
        var devices = dir.File("devices.json", $$"""{ "adb": "127.0.0.1:{{_adb.Port}}", "account": { "file": "account.json" }, "devices": [ { "serial": "{{phone.Serial}}" } ] }""");
        // The phone's local internet, published as a lab's upstream (split DNS, its own CA), as run.ps1 passes it.
        var (upstream, _) = VirtualInternetPublication.Write(phone.Phone.Internet, dir.Combine("lab.upstream.json"));
        return (phone, ["run", "--devices", devices, "--scenario", scenario, "--browser", "mibrowser", "--settle", "2", "--upstream-file", upstream, "--out", dir.Combine("out"),
            "--progress", "lines", "--ca-dir", dir.Combine("ca"), "--signing-dir", dir.Combine("signing"), "--history", dir.Combine("history.db")]);
    }

    private static List<JsonElement> Results(string bundle) =>
        Directory.GetDirectories(Path.Combine(bundle, "cases"))
            .Select(d => JsonDocument.Parse(File.ReadAllText(Path.Combine(d, "result.json"))).RootElement).ToList();

    [Test]
    [CancelAfter(300_000)]
    public async Task First_run_dialogs_after_clear_data_are_dismissed_in_every_shipped_scenario(CancellationToken ct)
    {
        using var dir = new TempFolder("harness-dialogs");
        var (phone, args) = await PrepareAsync(dir, "*", ct);
        await using var _ = phone;
        var run = await BuiltCli.RunAsync(args, TimeSpan.FromMinutes(4), Repo);
        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.LeakFound), run.ToString());
        var results = Results(dir.Combine("out", "bundle"));
        Assert.That(results.Select(r => r.GetProperty("scenario").GetString()).Distinct().Count(), Is.EqualTo(7), "every shipped scenario ran");
        foreach (var result in results)
        {
            var steps = result.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList();
            var id = result.GetProperty("caseId").GetString();
            Assert.That(result.GetProperty("verdict").GetString(), Is.Not.EqualTo("inconclusive"), id + ": " + result.GetProperty("reason"));
            Assert.That(steps, Does.Contain("dismiss-dialog first-run-consent").And.Contain("dismiss-dialog default-browser-prompt"), id + ": " + string.Join(", ", steps));
            Assert.That(steps.IndexOf("dismiss-dialog first-run-consent"), Is.GreaterThan(steps.IndexOf("clear-data")), id);
        }
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task An_unknown_dialog_makes_the_case_inconclusive_with_its_screenshot(CancellationToken ct)
    {
        using var dir = new TempFolder("harness-dialogs");
        var (phone, args) = await PrepareAsync(dir, "control-leak", ct);
        await using var _ = phone;
        phone.Phone.Faults.RatingPrompt = true;
        var run = await BuiltCli.RunAsync(args, TimeSpan.FromMinutes(2), Repo);
        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Inconclusive), run.ToString());
        var result = Results(dir.Combine("out", "bundle")).Single();
        Assert.That(result.GetProperty("verdict").GetString(), Is.EqualTo("inconclusive"));
        var attachments = result.GetProperty("attachments").EnumerateArray().Select(a => a.GetString()!).ToList();
        var screenshot = attachments.FirstOrDefault(a => a.EndsWith(".png", StringComparison.Ordinal));
        Assert.That(screenshot, Is.Not.Null, "the case carries the screenshot of the screen the dialog covered: " + string.Join(", ", attachments));
        var dump = attachments.Single(a => a.EndsWith(".xml", StringComparison.Ordinal));
        Assert.That(File.ReadAllText(Path.Combine(dir.Combine("out", "bundle"), dump)), Does.Contain("Enjoying the browser? Rate us"));
    }
}
