using System.Text.RegularExpressions;
using Harness.Cli.Tests.Hardening;
using Harness.Core;
using Harness.TestSupport;
using Harness.VirtualDevice.Browsers;

namespace Harness.Cli.Tests.Profiles;

/// <summary>
/// `harness profile check` on virtual phones through the real adb server: the shipped profile on a shipped build, and
/// on a newer Mi Browser build whose resource-ids were renamed (labels unchanged), where the check must name every
/// broken selector, rank the right element first and suggest the change that makes the check pass.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ProfileCheckTests
{
    private PrivateAdbServer _adb = null!;

    [OneTimeSetUp]
    public async Task StartAdbAsync() => _adb = await PrivateAdbServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAdbAsync() => await _adb.DisposeAsync();

    private static string Repo => BuiltCli.FindRepositoryRoot();

    private async Task<VirtualPhoneFixture> PhoneWithAsync(string browser, CancellationToken ct)
    {
        var phone = await VirtualPhoneFixture.StartAsync(_adb, "Redmi Note 8", ct);
        await phone.InstallBrowserAsync(BrowserCatalog.Find(browser)!, ct);
        return phone;
    }

    private Task<CliResult> CheckAsync(string serial, string profiles, string output, params string[] more) =>
        BuiltCli.RunAsync(["profile", "check", serial, "--browser", "mibrowser", "--adb", "127.0.0.1:" + _adb.Port, "--profiles", profiles,
            "--out", output, "--step-timeout", "3", "--account", "4711", "--password", "secret", .. more], TimeSpan.FromMinutes(4), Repo);

    /// <summary>What the renamed build calls each view the shipped profile's selectors use (BrowserCatalog.UnknownBuilds).</summary>
    private static readonly Dictionary<string, string> RenamedSelectors = new()
    {
        ["search-hint"] = "search_hint_view", ["address-bar"] = "url_edit", ["menu"] = "toolbar_menu_button", ["tabs"] = "toolbar_tabs_button",
        ["incognito-indicator"] = "incognito_icon", ["news-item"] = "news_card", ["page-title"] = "web_page_title",
        ["menu-new-incognito-tab"] = "popup_new_incognito_tab", ["menu-settings"] = "popup_settings", ["menu-clear-data"] = "popup_clear_data",
        ["incognito-switch"] = "incognito_mode_pref", ["enhanced-incognito-switch"] = "enhanced_incognito_pref", ["account-row"] = "account_pref",
        ["account-status"] = "account_status_summary", ["account-id-input"] = "account_id_edit", ["password-input"] = "password_edit",
        ["sign-in-button"] = "sign_in_btn", ["sign-out-button"] = "sign_out_btn", ["sync-switch"] = "sync_history_pref",
    };

    [Test]
    [CancelAfter(480_000)]
    public async Task Renamed_ids_are_named_ranked_and_the_suggested_profile_passes(CancellationToken ct)
    {
        using var dir = new TempFolder("harness-profile-check");
        await using var phone = await PhoneWithAsync("mibrowser@12.2.8", ct);
        var profiles = dir.Combine("profiles");
        Directory.CreateDirectory(profiles);
        File.Copy(Path.Combine(Repo, "scenarios", "browsers", "mibrowser.yaml"), Path.Combine(profiles, "mibrowser.yaml"));

        var first = await CheckAsync(phone.Serial, profiles, dir.Combine("first"));
        Assert.That(first.ExitCode, Is.EqualTo((int)ExitCode.LeakFound), first.ToString());
        var issues = Issues(first.Stdout);
        Assert.That(issues.Keys, Is.EquivalentTo(RenamedSelectors.Keys), "every selector whose id the build renamed, and no other:\n" + first.Stdout);
        foreach (var (selector, renamed) in RenamedSelectors)
        {
            Assert.That(issues[selector].FirstCandidate, Does.Contain($"id={renamed} "), $"{selector}: the right element ranks first\n{first.Stdout}");
            Assert.That(issues[selector].Suggestion, Does.Contain(renamed), $"{selector}: the suggestion names the new id");
        }
        Assert.That(Directory.GetFiles(dir.Combine("first"), "*.png"), Has.Length.GreaterThan(40), "a screenshot per step");
        Assert.That(Directory.GetFiles(dir.Combine("first"), "*.xml"), Has.Length.GreaterThan(40), "a dump per step");

        var suggested = dir.Combine("first", "suggested");
        var patched = File.ReadAllText(Path.Combine(suggested, "mibrowser.yaml"));
        Assert.That(patched, Does.Contain("address-bar: { id: [url, url_edit], class: android.widget.EditText"), "old builds keep their id");
        var second = await CheckAsync(phone.Serial, suggested, dir.Combine("second"));
        Assert.That(second.ExitCode, Is.EqualTo((int)ExitCode.AllPass), second.ToString());
        Assert.That(second.Stdout, Does.Contain("17 action(s) work, 0 broken, 0 not checked; 0 selector(s) do not fit"));
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task The_shipped_profile_fits_the_shipped_build_and_the_phone_is_left_as_found(CancellationToken ct)
    {
        using var dir = new TempFolder("harness-profile-check");
        await using var phone = await PhoneWithAsync("mibrowser@12.1.4", ct);
        var prefs = "/data/data/com.mi.globalbrowser/files/browser_prefs.json";
        string? Prefs() => phone.Phone.Android.FileSystem.IsFile(prefs) ? System.Text.Encoding.UTF8.GetString(phone.Phone.Android.FileSystem.ReadFile(prefs, asRoot: true)) : null;

        var result = await CheckAsync(phone.Serial, Path.Combine(Repo, "scenarios", "browsers"), dir.Combine("out"));
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.AllPass), result.ToString());
        Assert.That(Prefs(), Does.Contain("\"incognitoMode\":false").And.Contain("\"enhancedIncognito\":false").And.Contain("\"account\":null").And.Contain("\"sync\":false"),
            "incognito, enhanced incognito and the account are as before the check");

        var without = await BuiltCli.RunAsync(["profile", "check", phone.Serial, "--browser", "mibrowser", "--adb", "127.0.0.1:" + _adb.Port,
            "--profiles", Path.Combine(Repo, "scenarios", "browsers"), "--out", dir.Combine("read-only"), "--step-timeout", "3",
            "--action", "confirm-incognito-state", "--action", "sign-in"], TimeSpan.FromMinutes(2), Repo);
        Assert.That(without.ExitCode, Is.EqualTo((int)ExitCode.LeakFound), "an action it could not check is not shown to work: " + without);
        Assert.That(without.Stdout, Does.Contain("sign-in").And.Contain("not checked: needs --account and --password"));
        Assert.That(without.Stdout, Does.Not.Contain("open-url"), "--action limits the check");
    }

    [Test]
    public async Task Bad_arguments_exit_3_with_the_field()
    {
        var unknown = await BuiltCli.RunAsync(["profile", "check", "127.0.0.1:1", "--browser", "nosuch", "--profiles", Path.Combine(Repo, "scenarios", "browsers")]);
        Assert.That(unknown.ExitCode, Is.EqualTo((int)ExitCode.BadInput), unknown.ToString());
        Assert.That(unknown.Stderr, Does.Contain("--browser").And.Contain("mibrowser"));
        var action = await BuiltCli.RunAsync(["profile", "check", "127.0.0.1:1", "--browser", "mint", "--action", "fly", "--profiles", Path.Combine(Repo, "scenarios", "browsers")]);
        Assert.That(action.ExitCode, Is.EqualTo((int)ExitCode.BadInput), action.ToString());
        Assert.That(action.Stderr, Does.Contain("--action").And.Contain("open-url"));
    }

    private sealed record Issue(string FirstCandidate, string Suggestion);

    /// <summary>The "selectors that do not fit" section: per selector its first candidate line and its suggestion.</summary>
    private static Dictionary<string, Issue> Issues(string stdout)
    {
        var issues = new Dictionary<string, Issue>();
        var lines = stdout.Split('\n').SkipWhile(l => !l.StartsWith("selectors that do not fit", StringComparison.Ordinal)).Skip(1).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            var head = Regex.Match(lines[i], @"^  ([a-z0-9-]+) \(");
            if (!head.Success) continue;
            var block = lines.Skip(i + 1).TakeWhile(l => l.StartsWith("      ", StringComparison.Ordinal)).ToList();
            issues[head.Groups[1].Value] = new Issue(block.FirstOrDefault(l => l.TrimStart().StartsWith("1. ", StringComparison.Ordinal)) ?? "",
                block.FirstOrDefault(l => l.TrimStart().StartsWith("suggested:", StringComparison.Ordinal)) ?? "");
        }
        return issues;
    }
}
