using Harness.Adb.Ui;
using Harness.Browsers;
using Harness.Core;
using Harness.Scenarios.Tests.Browsers.Fakes;

namespace Harness.Scenarios.Tests.Browsers;

/// <summary>
/// System-app profiles (kind: system-app, scenarios/system) load with the same loader as browsers: their own action
/// names, validated per kind, launch by intent action, placeholders in selector labels; mistakes keep file:line:column.
/// </summary>
[TestFixture]
public sealed class SystemAppProfileTests
{
    private const string File = "scenarios/system/test.yaml";

    private const string Good = """
        kind: system-app
        id: settings
        name: Settings
        package: com.android.settings
        launch-action: android.settings.SECURITY_SETTINGS
        languages: [en, es]
        selectors:
          row: { text: { en: "Encryption & credentials", es: "Encriptación y credenciales" } }
          picked: { text: "{file}" }
          ours: { text: "{certificate}" }
        recipes:
          install-user-ca:
            - tap: row
              expect: { present: picked }
            - tap: picked
          user-ca-state:
            - read: { present: ours }
        versions:
          - range: ">=9"
            actions: [install-user-ca, user-ca-state]
        """;

    private static BrowserProfile Parse(string yaml) => BrowserProfileLoader.Parse(yaml, File);

    [Test]
    public void The_shipped_system_dialogs_are_the_permission_prompt_and_miuis_install_via_usb()
    {
        var dialogs = SystemDialogLoader.LoadDirectory(Path.Combine(RepositoryPaths.Root, "scenarios", "system"));
        Assert.That(dialogs.Select(d => d.Name), Is.EquivalentTo(new[] { "permission-prompt", "miui-install-via-usb" }));
        Assert.That(dialogs.All(d => d.Tap is not null && d.When.Count > 0), Is.True);
        Assert.That(SystemDialogLoader.LoadDirectory(Path.Combine(RepositoryPaths.Root, "no-such-folder")), Is.Empty);
    }

    [Test]
    public void The_shipped_Settings_profile_loads_as_a_system_app_with_the_three_CA_actions()
    {
        var profile = BrowserProfileLoader.LoadFile(Path.Combine(RepositoryPaths.Root, "scenarios", "system", "android-settings.yaml"));
        Assert.That(profile.Kind, Is.EqualTo(ProfileKind.SystemApp));
        Assert.That((profile.Package, profile.LaunchAction, profile.LaunchActivity), Is.EqualTo(("com.android.settings", "android.settings.SECURITY_SETTINGS", (string?)null)));
        Assert.That(profile.Languages, Is.EqualTo(new[] { "en", "es" }));
        var range = profile.SelectRange("10");
        Assert.That(range.Recipes.Keys, Is.SupersetOf(new[] { BrowserAction.InstallUserCa, BrowserAction.UserCaState, BrowserAction.RemoveUserCa }));
        Assert.That(range.Recipes[BrowserAction.UserCaState].ReadsState, Is.True);
        Assert.That(profile.SelectRange("14").Selectors["install-anyway"].ResourceId, Is.EqualTo("com.android.settings:id/install_button"));
    }

    [Test]
    public void A_system_app_needs_no_user_agent_and_keeps_its_kind()
    {
        var profile = Parse(Good);
        Assert.That(profile.Kind, Is.EqualTo(ProfileKind.SystemApp));
        Assert.That(profile.UserAgentToken, Is.Empty);
        Assert.That(profile.VersionRanges.Single().Selectors["picked"].Text!.Invariant, Is.EqualTo("{file}"));
    }

    [Test]
    public void Browser_profiles_default_to_the_browser_kind_and_its_action_names()
    {
        Assert.That(BrowserActionNames.For(ProfileKind.Browser), Does.Contain("open-url").And.Not.Contain("install-user-ca"));
        Assert.That(BrowserActionNames.For(ProfileKind.SystemApp), Is.EqualTo(new[] { "go-home", "back", "install-user-ca", "user-ca-state", "remove-user-ca" }));
        Assert.That(BrowserActionNames.All, Is.EqualTo(BrowserActionNames.For(ProfileKind.Browser)));
    }

    private static IEnumerable<TestCaseData> BadProfiles()
    {
        TestCaseData Bad(string name, string find, string replace, string marker, string field, string message) =>
            new TestCaseData(Good.Replace(find, replace, StringComparison.Ordinal), marker, field, message).SetName("Bad system-app profile: " + name);

        yield return Bad("unknown kind", "kind: system-app", "kind: system-ap", "kind:", "kind", "unknown kind \"system-ap\" (did you mean \"system-app\"?)");
        yield return Bad("browser action in a system app", "actions: [install-user-ca, user-ca-state]", "actions: [install-user-ca, open-url]", "actions:", "versions[0].actions[1]", "\"open-url\" is not an action of a system-app profile");
        yield return Bad("system action in a browser", "kind: system-app\n", "user-agent: x\n", "  install-user-ca:", "recipes.install-user-ca", "not an action of a browser profile (set kind: system-app");
        yield return Bad("unknown system action", "  user-ca-state:", "  user-ca-stat:", "user-ca-stat:", "recipes.user-ca-stat", "(did you mean \"user-ca-state\"?)");
        yield return Bad("launch activity and action", "launch-action:", "launch-activity: .Settings\nlaunch-action:", "launch-action:", "launch-action", "not both");
        yield return Bad("bad intent action", "launch-action: android.settings.SECURITY_SETTINGS", "launch-action: \"security settings\"", "launch-action:", "launch-action", "is not an intent action");
        yield return Bad("unknown placeholder in a label", "picked: { text: \"{file}\" }", "picked: { text: \"{fil}\" }", "picked:", "selectors.picked.text", "unknown placeholder {fil} (did you mean \"file\"?)");
    }

    [TestCaseSource(nameof(BadProfiles))]
    public void Bad_profiles_name_file_line_and_field(string yaml, string marker, string field, string message)
    {
        var error = Assert.Throws<BadInputException>(() => Parse(yaml))!;
        var expectedLine = Array.FindIndex(yaml.Split('\n'), l => l.Contains(marker, StringComparison.Ordinal)) + 1;
        Assert.That(expectedLine, Is.GreaterThan(0), "test marker not found");
        Assert.That(error.Message, Does.Contain(message));
        Assert.That(error.Field, Is.EqualTo(field));
        Assert.That(error.Line, Is.EqualTo(expectedLine), error.Describe());
        Assert.That(error.Describe(), Does.StartWith($"{File}:{error.Line}:{error.Column}: {field}: "));
    }

    private static UiHierarchy Screen(params string[] texts) => UiHierarchy.Parse(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">"
        + string.Concat(texts.Select((t, i) => $"<node index=\"{i}\" text=\"{t}\" resource-id=\"android:id/title\" class=\"android.widget.TextView\" package=\"com.android.documentsui\" content-desc=\"\" checkable=\"false\" checked=\"false\" clickable=\"true\" enabled=\"true\" focusable=\"true\" focused=\"false\" scrollable=\"false\" long-clickable=\"false\" password=\"false\" selected=\"false\" bounds=\"[0,{i * 100}][100,{i * 100 + 90}]\" />"))
        + "</hierarchy>");

    [Test]
    public void A_label_placeholder_is_filled_from_the_action_arguments()
    {
        var picked = Parse(Good).VersionRanges.Single().Selectors["picked"];
        var screen = Screen("other.crt", "harness-ca-1a2b3c4d.crt");
        var found = SelectorMatcher.Find(screen, picked, "en", new ActionArguments(File: "harness-ca-1a2b3c4d.crt"), BrowserAction.InstallUserCa);
        Assert.That(found?.Text, Is.EqualTo("harness-ca-1a2b3c4d.crt"));
        Assert.That(SelectorMatcher.Find(screen, picked, "en", new ActionArguments(File: "missing.crt"), BrowserAction.InstallUserCa), Is.Null);
        Assert.That(() => SelectorMatcher.Find(screen, picked, "en"), Throws.ArgumentException.With.Message.Contains("{file}"));
    }
}
