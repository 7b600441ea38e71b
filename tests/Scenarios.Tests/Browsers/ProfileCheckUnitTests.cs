using Harness.Adb.Ui;
using Harness.Browsers;
using Harness.Core;

namespace Harness.Scenarios.Tests.Browsers;

/// <summary>The pure parts of `profile check`: candidate ranking, the suggested edits, id lists and declared dialogs in the YAML.</summary>
[TestFixture]
public sealed class ProfileCheckUnitTests
{
    private const string Pkg = "com.mi.globalbrowser";
    private static readonly SourceLocation Here = new("p.yaml", 3, 16);

    private static UiHierarchy Screen(params string[] nodes) => UiHierarchy.Parse(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\"><node class=\"android.widget.FrameLayout\" package=\"" + Pkg + "\" bounds=\"[0,0][1080,2340]\">"
        + string.Concat(nodes) + "</node></hierarchy>");

    private static string Node(string id, string cls, string text = "", string desc = "", bool clickable = false, int top = 100) =>
        $"<node resource-id=\"{Pkg}:id/{id}\" class=\"{cls}\" package=\"{Pkg}\" text=\"{text}\" content-desc=\"{desc}\" clickable=\"{(clickable ? "true" : "false")}\" bounds=\"[0,{top}][1080,{top + 100}]\" />";

    [Test]
    public void The_label_in_the_phone_language_outranks_a_similar_id()
    {
        var screen = Screen(
            Node("menu_button_old_style", "android.widget.ImageButton", desc: "Tabs", clickable: true),
            Node("toolbar_more", "android.widget.ImageButton", desc: "Menú", clickable: true, top: 300));
        var selector = new ElementSelector("menu", $"{Pkg}:id/menu_button", null,
            LocalizedText.PerLanguage(new Dictionary<string, string> { ["en"] = "Menu", ["es"] = "Menú" }), null, 0, Here);
        var ranked = CandidateRanker.Rank(screen.AllElements, selector, "es", ElementRole.Tap, []);
        Assert.That(ranked[0].Element.ResourceId, Is.EqualTo($"{Pkg}:id/toolbar_more"));
        Assert.That(ranked[0].Reasons, Does.Contain("same label (es)"));
        Assert.That(ranked[1].Element.ResourceId, Is.EqualTo($"{Pkg}:id/menu_button_old_style"), "the similar id is the runner-up");
    }

    [Test]
    public void An_id_only_selector_is_matched_by_shared_words_and_the_expected_text()
    {
        var screen = Screen(
            Node("account_pref", "android.widget.TextView", text: "Mi Account", clickable: true),
            Node("account_status_summary", "android.widget.TextView", text: "Signed in: 4711", top: 300));
        var selector = new ElementSelector("account-status", $"{Pkg}:id/account_status", null, null, null, 0, Here);
        var ranked = CandidateRanker.Rank(screen.AllElements, selector, "en", ElementRole.Read, ["Signed in:"]);
        Assert.That(ranked[0].Element.ResourceId, Is.EqualTo($"{Pkg}:id/account_status_summary"));
        Assert.That(ranked[0].Reasons, Does.Contain("shows the expected text"));
        Assert.That(CandidateRanker.IdSimilarity("page_title", "web_page_title"), Is.GreaterThan(CandidateRanker.IdSimilarity("page_title", "settings_title")));
        Assert.That(CandidateRanker.IdSimilarity("signOutButton", "sign_out_btn"), Is.GreaterThan(0.4), "camelCase and snake_case share words");
    }

    [Test]
    public void Nothing_alike_is_no_candidate()
    {
        var screen = Screen(Node("clock", "android.widget.TextView", text: "10:09"));
        var selector = new ElementSelector("sync-switch", $"{Pkg}:id/sync_switch", LocalizedText.Same("Sync browsing history"), null, "android.widget.Switch", 0, Here);
        Assert.That(CandidateRanker.Rank(screen.AllElements, selector, "en", ElementRole.Switch, []), Is.Empty);
    }

    [Test]
    public void The_suggested_edit_keeps_the_old_id_and_the_line_layout()
    {
        const string yaml = "selectors:\n  # the bar\n  address-bar: { id: url, class: android.widget.EditText, text: { en: \"Search\" } }\n  page-title: { id: [page_title, title2] }\n  hint: { text: Hint }\n";
        var lines = yaml.Split('\n');
        var bar = new ElementSelector("address-bar", $"{Pkg}:id/url", null, null, null, 0, new SourceLocation("p.yaml", 3, 16)) { IdLocation = new SourceLocation("p.yaml", 3, 22) };
        var edit = ProfileEdits.AddId(lines, bar, $"{Pkg}:id/url_edit", Pkg)!;
        Assert.That(edit.NewText, Is.EqualTo("  address-bar: { id: [url, url_edit], class: android.widget.EditText, text: { en: \"Search\" } }"));
        var title = new ElementSelector("page-title", $"{Pkg}:id/page_title", null, null, null, 0, new SourceLocation("p.yaml", 4, 15))
        { OtherResourceIds = [$"{Pkg}:id/title2"], IdLocation = new SourceLocation("p.yaml", 4, 21) };
        var titleEdit = ProfileEdits.AddId(lines, title, "android:id/title", Pkg)!;
        Assert.That(titleEdit.NewText, Is.EqualTo("  page-title: { id: [page_title, title2, android:id/title] }"));
        var hint = new ElementSelector("hint", null, LocalizedText.Same("Hint"), null, null, 0, new SourceLocation("p.yaml", 5, 9));
        var hintEdit = ProfileEdits.AddId(lines, hint, $"{Pkg}:id/hint_view", Pkg)!;
        Assert.That(hintEdit.NewText, Is.EqualTo("  hint: { id: hint_view, text: Hint }"));
        var applied = ProfileEdits.Apply(yaml, [edit, titleEdit, hintEdit]);
        Assert.That(applied, Does.Contain("# the bar").And.Contain("[url, url_edit]").And.Contain("{ id: hint_view, text: Hint }"));
    }

    private const string Profile = """
        id: mibrowser
        name: Mi Browser
        package: com.mi.globalbrowser
        user-agent: "XiaoMi/MiuiBrowser/"
        languages: [en]
        selectors:
          address-bar: { id: [url, url_edit], class: android.widget.EditText }
          agree: { id: btn_agree, text: Agree }
        dialogs:
          consent: { when: { present: agree }, tap: agree }
          rating: { when: { present: { id: rating_message } }, key: BACK }
        recipes:
          back:
            - key: BACK
        versions:
          - range: ">=1.0"
            actions: [back]
        """;

    [Test]
    public void A_profile_takes_an_id_list_and_dialogs()
    {
        var profile = BrowserProfileLoader.Parse(Profile, "p.yaml");
        var bar = profile.VersionRanges[0].Selectors["address-bar"];
        Assert.That(bar.ResourceIds, Is.EqualTo(new[] { $"{Pkg}:id/url", $"{Pkg}:id/url_edit" }));
        Assert.That(bar.IdLocation?.Line, Is.EqualTo(7));
        Assert.That(profile.Dialogs.Select(d => (d.Name, d.DescribeDismissal())), Is.EqualTo(new[] { ("consent", "tap agree"), ("rating", "key KEYCODE_BACK") }));
        var edited = SelectorMatcher.Find(Screen(Node("url_edit", "android.widget.EditText", clickable: true)), bar, "en");
        Assert.That(edited?.ResourceId, Is.EqualTo($"{Pkg}:id/url_edit"), "the second id of the list finds the newer build's element");
    }

    [TestCase("consent: { tap: agree }", "dialogs.consent.when")]
    [TestCase("consent: { when: { present: agree } }", "dialogs.consent")]
    [TestCase("consent: { when: { present: agree }, tap: agree, key: BACK }", "dialogs.consent")]
    [TestCase("consent: { when: { present: nosuch }, tap: agree }", "dialogs.consent.when.present")]
    public void A_bad_dialog_names_its_field(string dialog, string field)
    {
        var yaml = Profile.Replace("  consent: { when: { present: agree }, tap: agree }", "  " + dialog, StringComparison.Ordinal);
        var error = Assert.Throws<BadInputException>(() => BrowserProfileLoader.Parse(yaml, "p.yaml"))!;
        Assert.That(error.Describe(), Does.Contain(field));
    }
}
