using Harness.Browsers;
using Harness.Core;
using Harness.Scenarios.Tests.Browsers.Fakes;

namespace Harness.Scenarios.Tests.Browsers;

/// <summary>Profiles load from YAML; every mistake is reported with file, line, column and field.</summary>
[TestFixture]
public sealed class BrowserProfileLoaderTests
{
    private const string File = "scenarios/browsers/test.yaml";

    private const string Good = """
        id: mint
        name: Mint Browser
        package: com.mi.globalbrowser.mini
        user-agent: "XiaoMi/Mint Browser/"
        telemetry-settle: 30s
        languages: [en, es]
        selectors:
          menu: { id: menu_button, desc: { en: Menu, es: Menú } }
          settings-item: { id: menu_settings, text: { en: Settings, es: Ajustes } }
          address-bar: { id: url_bar, class: android.widget.EditText }
          confirm: { id: "android:id/button1", text: Clear }
        recipes:
          open-url:
            - tap: address-bar
              expect: { focused: address-bar }
            - type: "{url}"
            - key: ENTER
            - wait-for: [ { present: settings-item }, { text-contains: address-bar, text: "{host}" } ]
              timeout: 5s
          incognito-on:
            - tap: menu
              expect: { present: settings-item }
              attempts: 2
            - set-switch: { id: incognito_mode_switch }
              state: on
        versions:
          - range: ">=3.4.0 <3.4.3"
            actions: [open-url, back]
            recipes:
              back:
                - key: BACK
          - range: ">=3.5.0 <3.6.0"
            selectors:
              menu: { id: bottom_menu, desc: { en: Menu, es: Menú } }
            actions: [open-url, incognito-on]
        telemetry: { endpoints: [sa.api.intl.miui.com/sa], flush-interval: 15s }
        """;

    private static BrowserProfile Parse(string yaml) => BrowserProfileLoader.Parse(yaml, File);

    [Test]
    public void A_good_profile_loads_with_selectors_resolved_per_range()
    {
        var profile = Parse(Good);
        Assert.That(profile.Id, Is.EqualTo("mint"));
        Assert.That(profile.LaunchActivity, Is.Null);
        Assert.That(profile.TelemetrySettle, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(profile.Languages, Is.EqualTo(new[] { "en", "es" }));
        Assert.That(profile.VersionRanges, Has.Count.EqualTo(2));

        var early = profile.SelectRange("3.4.1");
        Assert.That(early.Recipes.Keys, Is.EquivalentTo(new[] { BrowserAction.OpenUrl, BrowserAction.Back }));
        var open = early.Recipes[BrowserAction.OpenUrl];
        Assert.That(open.Steps.Select(s => s.GetType()), Is.EqualTo(new[] { typeof(TapStep), typeof(TypeStep), typeof(KeyStep), typeof(WaitForStep) }));
        Assert.That(((TapStep)open.Steps[0]).Target.ResourceId, Is.EqualTo("com.mi.globalbrowser.mini:id/url_bar"));
        Assert.That(((KeyStep)open.Steps[2]).KeyCode, Is.EqualTo("KEYCODE_ENTER"));
        Assert.That(((WaitForStep)open.Steps[3]).Timeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(open.Steps[1].Location, Is.EqualTo(new SourceLocation(File, 16, 7)));
        Assert.That(early.Selectors["confirm"].ResourceId, Is.EqualTo("android:id/button1"));
        Assert.That(early.Selectors["confirm"].Text!.Candidates("es"), Is.EqualTo(new[] { "Clear" }));

        var later = profile.SelectRange("3.5.2");
        Assert.That(later.Selectors["menu"].ResourceId, Is.EqualTo("com.mi.globalbrowser.mini:id/bottom_menu"));
        var tap = (TapStep)later.Recipes[BrowserAction.IncognitoOn].Steps[0];
        Assert.That(tap.Target.ResourceId, Does.EndWith(":id/bottom_menu"), "shared recipes use the range's selector override");
        Assert.That(tap.Attempts, Is.EqualTo(2));
        var set = (SetSwitchStep)later.Recipes[BrowserAction.IncognitoOn].Steps[1];
        Assert.That(set.On, Is.True);
        Assert.That(set.Switch.Name, Is.EqualTo("inline"));
        Assert.That(profile.FindRange(AppVersion.Parse("3.4.5")), Is.Null);
    }

    [Test]
    public void The_shipped_profiles_load()
    {
        var profiles = BrowserProfileLoader.LoadDirectory(RepositoryPaths.BrowserProfiles);
        Assert.That(profiles.Select(p => p.Id), Is.EquivalentTo(new[] { "mint", "mibrowser", "miuibrowser" }));
        var byId = profiles.ToDictionary(p => p.Id);
        Assert.That(byId["mint"].LaunchActivity, Is.Null, "Mint's activity is resolved on the phone");
        Assert.That(byId["mibrowser"].LaunchActivity, Is.EqualTo("com.mi.globalbrowser/com.android.browser.BrowserActivity"));
        Assert.That(byId["miuibrowser"].LaunchActivity, Is.EqualTo("com.android.browser/.BrowserActivity"));
        Assert.That(profiles.Select(p => p.TelemetrySettle), Is.All.EqualTo(TimeSpan.FromSeconds(20)));

        Assert.That(byId["mint"].SelectRange("3.4.0").Supports(BrowserAction.EnhancedIncognitoOn), Is.False);
        Assert.That(byId["mint"].SelectRange("3.4.4").Supports(BrowserAction.EnhancedIncognitoOn), Is.True);
        Assert.That(byId["mibrowser"].SelectRange("12.1.3").Supports(BrowserAction.EnhancedIncognitoOn), Is.False);
        Assert.That(byId["mibrowser"].SelectRange("12.1.4").Supports(BrowserAction.EnhancedIncognitoOn), Is.True);
        Assert.That(byId["mibrowser"].SelectRange("12.2.6").Supports(BrowserAction.EnhancedIncognitoOn), Is.True);
        Assert.That(byId["miuibrowser"].SelectRange("12.1.2").Supports(BrowserAction.EnhancedIncognitoOn), Is.False);
        Assert.That(byId["miuibrowser"].SelectRange("13.0.1").Supports(BrowserAction.OpenUrl), Is.True);
        Assert.That(byId["mibrowser"].SelectRange("12.1.3").Selectors["address-bar"].ResourceId, Is.EqualTo("com.mi.globalbrowser:id/url"));
        foreach (var profile in profiles)
            foreach (var range in profile.VersionRanges)
                Assert.That(range.Recipes.Keys, Is.SupersetOf(new[] { BrowserAction.OpenUrl, BrowserAction.Search, BrowserAction.IncognitoOn, BrowserAction.ConfirmIncognitoState }), $"{profile.Id} {range}");
    }

    /// <summary>A bad variant of <see cref="Good"/>: the line holding <c>marker</c> is where the error must point.</summary>
    private static IEnumerable<TestCaseData> BadProfiles()
    {
        TestCaseData Bad(string name, string find, string replace, string marker, string field, string message) =>
            new TestCaseData(Good.Replace(find, replace, StringComparison.Ordinal), marker, field, message).SetName("Bad profile: " + name);

        yield return Bad("unknown top-level key", "package:", "pakage:", "pakage:", "pakage", "unknown key \"pakage\" (did you mean \"package\"?)");
        yield return Bad("missing package", "package: com.mi.globalbrowser.mini\n", "", "id: mint", "package", "missing required key \"package\"");
        yield return Bad("unknown action in a range", "actions: [open-url, back]", "actions: [open-ur, back]", "open-ur,", "versions[0].actions[0]", "unknown action \"open-ur\" (did you mean \"open-url\"?)");
        yield return Bad("unknown action as a recipe", "  incognito-on:", "  incognito-onn:", "incognito-onn:", "recipes.incognito-onn", "unknown action \"incognito-onn\" (did you mean \"incognito-on\"?)");
        yield return Bad("action without recipe", "actions: [open-url, back]", "actions: [open-url, back, sync-on]", "sync-on]", "versions[0].actions[2]", "no recipe for \"sync-on\"");
        yield return Bad("range recipe not listed", "actions: [open-url, back]", "actions: [open-url]", "      back:", "versions[0].recipes.back", "does not list it under actions");
        yield return Bad("selector with only a class", "address-bar: { id: url_bar, class: android.widget.EditText }", "address-bar: { class: android.widget.EditText }", "address-bar: {", "selectors.address-bar", "needs at least one of id, text or desc");
        yield return Bad("selector label missing a language", "settings-item: { id: menu_settings, text: { en: Settings, es: Ajustes } }", "settings-item: { id: menu_settings, text: { en: Settings } }", "settings-item:", "selectors.settings-item.text", "missing the \"es\" text");
        yield return Bad("selector label in an unknown language", "text: { en: Settings, es: Ajustes }", "text: { en: Settings, es: Ajustes, fr: Paramètres }", "settings-item:", "selectors.settings-item.text.fr", "unknown key \"fr\"");
        yield return Bad("unknown selector key", "address-bar: { id: url_bar,", "address-bar: { idd: url_bar,", "address-bar:", "selectors.address-bar.idd", "(did you mean \"id\"?)");
        yield return Bad("bad resource id", "{ id: url_bar,", "{ id: \"com.x/url bar\",", "address-bar:", "selectors.address-bar.id", "is not a resource-id");
        yield return Bad("unknown selector reference", "    - tap: menu\n", "    - tap: mnu\n", "- tap: mnu", "recipes.incognito-on[0].tap", "unknown selector \"mnu\" (did you mean \"menu\"?)");
        yield return Bad("override of an undefined selector", "      menu: { id: bottom_menu", "      menuu: { id: bottom_menu", "menuu:", "versions[1].selectors.menuu", "(did you mean \"menu\"?)");
        yield return Bad("bad version range", "range: \">=3.4.0 <3.4.3\"", "range: \">=3.4.x <3.4.3\"", ">=3.4.x", "versions[0].range", "\">=3.4.x\" is not a comparison");
        yield return Bad("empty version range", "range: \">=3.4.0 <3.4.3\"", "range: \">=3.4.3 <3.4.0\"", ">=3.4.3 <3.4.0", "versions[0].range", "matches no version");
        yield return Bad("unquoted placeholder", "- type: \"{url}\"", "- type: {url}", "- type: {url}", "recipes.open-url[1].type", "must be quoted");
        yield return Bad("unknown placeholder", "- type: \"{url}\"", "- type: \"{uri}\"", "- type: \"{uri}\"", "recipes.open-url[1].type", "unknown placeholder {uri} (did you mean \"url\"?)");
        yield return Bad("unknown key code", "- key: ENTER", "- key: ENTR", "- key: ENTR", "recipes.open-url[2].key", "unknown key \"ENTR\" (did you mean \"ENTER\"?)");
        yield return Bad("misspelt step modifier", "      expect: { focused: address-bar }", "      expct: { focused: address-bar }", "expct:", "recipes.open-url[0].expct", "(did you mean \"expect\"?)");
        yield return Bad("two kinds in one step", "    - key: ENTER\n", "    - key: ENTER\n      type: x\n", "- key: ENTER", "recipes.open-url[2]", "a step does one thing");
        yield return Bad("unknown step kind", "    - key: ENTER\n", "    - press: ENTER\n", "- press: ENTER", "recipes.open-url[2]", "a step needs exactly one of");
        yield return Bad("set-switch without state", "      state: on\n", "", "- set-switch:", "recipes.incognito-on[1].state", "set-switch needs state");
        yield return Bad("bad condition", "{ present: settings-item }, { text-contains", "{ shown: settings-item }, { text-contains", "wait-for:", "recipes.open-url[3].wait-for[0].shown", "unknown key \"shown\"");
        yield return Bad("text-contains without text", "{ text-contains: address-bar, text: \"{host}\" }", "{ text-contains: address-bar }", "wait-for:", "recipes.open-url[3].wait-for[1].text", "text-contains needs text");
        yield return Bad("bad duration", "timeout: 5s", "timeout: 5 sec", "timeout:", "recipes.open-url[3].timeout", "expected a positive duration");
        yield return Bad("attempts out of bounds", "attempts: 2", "attempts: 0", "attempts:", "recipes.incognito-on[0].attempts", "from 1 to 20");
        yield return Bad("duplicate key", "name: Mint Browser\n", "name: Mint Browser\nname: Again\n", "name: Again", "name", "given twice");
        yield return Bad("search engines: bad locale", "languages: [en, es]", "languages: [en, es]\nsearch-engines: { China: [baidu.com] }", "search-engines:", "search-engines.China", "is not a locale");
        yield return Bad("search engines: not a host", "languages: [en, es]", "languages: [en, es]\nsearch-engines: { zh-CN: [\"https://www.baidu.com/s\"] }", "search-engines:", "search-engines.zh-CN", "is not a host name");
        yield return Bad("telemetry endpoint with a scheme", "endpoints: [sa.api.intl.miui.com/sa]", "endpoints: [https://sa.api.intl.miui.com/sa]", "telemetry:", "telemetry.endpoints", "is not host or host/path");
        yield return Bad("telemetry without flush interval", ", flush-interval: 15s }", " }", "telemetry:", "telemetry.flush-interval", "how often the telemetry SDK uploads");
        yield return Bad("telemetry with an unknown key", "flush-interval: 15s }", "flush-intervall: 15s }", "telemetry:", "telemetry.flush-intervall", "(did you mean \"flush-interval\"?)");
        yield return Bad("yaml syntax", "languages: [en, es]", "languages: [en, es", "languages:", "(syntax)", "not valid YAML");
    }

    [Test]
    public void The_profile_names_the_search_engines_of_each_locale()
    {
        var profiles = BrowserProfileLoader.LoadDirectory(RepositoryPaths.BrowserProfiles);
        var china = profiles.Single(p => p.Id == "miuibrowser");
        Assert.That(china.SearchEnginesFor("zh-CN"), Is.EqualTo(new[] { "baidu.com" }));
        Assert.That(china.SearchEnginesFor("en-US"), Is.EqualTo(new[] { "google.com" }));
        Assert.That(china.SearchEnginesFor(null), Is.EqualTo(new[] { "google.com" }));
        Assert.That(profiles.Single(p => p.Id == "mint").SearchEnginesFor("zh-CN"), Is.EqualTo(new[] { "google.com" }), "a global build searches Google whatever the locale");
        var byLanguage = Parse(Good.Replace("languages: [en, es]", "languages: [en, es]\nsearch-engines: { es: [google.es], default: [google.com] }"));
        Assert.That(byLanguage.SearchEnginesFor("es-ES"), Is.EqualTo(new[] { "google.es" }), "the language when the exact locale is not named");
        Assert.That(Parse(Good).SearchEnginesFor("en-US"), Is.Empty, "a profile that names none intends no search engine");
    }

    [Test]
    public void The_telemetry_block_names_the_uploads_and_the_flush_interval()
    {
        var telemetry = Parse(Good).Telemetry!;
        Assert.That(telemetry.Endpoints.Select(e => e.ToString()), Is.EqualTo(new[] { "sa.api.intl.miui.com/sa" }));
        Assert.That(telemetry.Deadline, Is.EqualTo(TimeSpan.FromSeconds(15) + TelemetryHeartbeat.Margin));
        Assert.That(Parse(Good.Replace("telemetry: { endpoints: [sa.api.intl.miui.com/sa], flush-interval: 15s }", "")).Telemetry, Is.Null);
        // Every shipped browser profile names its Sensors upload, so no shipped case passes on a silent window.
        foreach (var profile in BrowserProfileLoader.LoadDirectory(Scenarios.RepositoryPaths.BrowsersDirectory))
            Assert.That(profile.Telemetry?.Endpoints.Select(e => e.Path), Is.EqualTo(new[] { "/sa" }), profile.SourceFile);
    }

    [TestCaseSource(nameof(BadProfiles))]
    public void Bad_profiles_name_file_line_and_field(string yaml, string marker, string field, string message)
    {
        var error = Assert.Throws<BadInputException>(() => Parse(yaml))!;
        var lines = yaml.Split('\n');
        var expectedLine = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal)) + 1;
        Assert.That(expectedLine, Is.GreaterThan(0), "test marker not found");
        Assert.That(error.Message, Does.Contain(message));
        Assert.That(error.Field, Is.EqualTo(field));
        Assert.That(error.File, Is.EqualTo(File));
        if (field != "(syntax)") Assert.That(error.Line, Is.EqualTo(expectedLine), error.Describe());
        else Assert.That(error.Line, Is.GreaterThanOrEqualTo(expectedLine), error.Describe());
        Assert.That(error.Column, Is.GreaterThan(0));
        Assert.That(error.Describe(), Does.StartWith($"{File}:{error.Line}:{error.Column}: {field}: "));
    }

    [Test]
    public void An_empty_file_says_what_a_profile_needs()
    {
        var error = Assert.Throws<BadInputException>(() => Parse(""))!;
        Assert.That(error.Message, Does.Contain("needs id, name, package"));
        Assert.That(error.File, Is.EqualTo(File));
    }

    [Test]
    public void Two_profiles_with_one_id_are_refused()
    {
        var folder = Directory.CreateTempSubdirectory("profiles-");
        try
        {
            System.IO.File.WriteAllText(Path.Combine(folder.FullName, "a.yaml"), Good);
            System.IO.File.WriteAllText(Path.Combine(folder.FullName, "b.yaml"), Good);
            var error = Assert.Throws<BadInputException>(() => BrowserProfileLoader.LoadDirectory(folder.FullName))!;
            Assert.That(error.File, Does.EndWith("b.yaml"));
            Assert.That(error.Message, Does.Contain("a.yaml"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
