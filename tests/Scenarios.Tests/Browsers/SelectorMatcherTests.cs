using Harness.Adb.Ui;
using Harness.Browsers;
using Harness.Scenarios.Tests.Browsers.Fakes;

namespace Harness.Scenarios.Tests.Browsers;

/// <summary>Selector resolution over the recorded dumps: id first, then labels in the phone's language, class and index.</summary>
[TestFixture]
public sealed class SelectorMatcherTests
{
    private const string Pkg = ScriptedBrowserPhone.MintPackage;
    private static readonly SourceLocation Here = new("test.yaml", 1, 1);

    private static UiHierarchy Dump(string name) => UiHierarchy.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Dumps, name)));

    private static ElementSelector Selector(string? id = null, LocalizedText? text = null, LocalizedText? desc = null, string? cls = null, int index = 0) =>
        new("s", id is null ? null : id.Contains(':') ? id : $"{Pkg}:id/{id}", text, desc, cls, index, Here);

    private static LocalizedText Menu => LocalizedText.PerLanguage(new Dictionary<string, string> { ["en"] = "Menu", ["es"] = "Menú" });

    [Test]
    public void The_resource_id_wins_over_labels()
    {
        var found = SelectorMatcher.Find(Dump("mint-home.en.xml"), Selector("tabs_button", desc: Menu), "en");
        Assert.That(found?.ResourceId, Is.EqualTo($"{Pkg}:id/tabs_button"));
    }

    [TestCase("mint-home.en.xml", "en")]
    [TestCase("mint-home.es.xml", "es")]
    public void A_renamed_id_falls_back_to_the_label_in_the_phone_language(string dump, string language)
    {
        var found = SelectorMatcher.Find(Dump(dump), Selector("bottom_menu", desc: Menu), language);
        Assert.That(found?.ResourceId, Is.EqualTo($"{Pkg}:id/menu_button"));
    }

    [Test]
    public void A_label_of_another_language_is_tried_when_the_phone_language_finds_nothing()
    {
        var found = SelectorMatcher.Find(Dump("mint-home.es.xml"), Selector(desc: Menu), "en");
        Assert.That(found?.ContentDescription, Is.EqualTo("Menú"));
    }

    [Test]
    public void Index_picks_among_matches_in_screen_order_and_class_narrows()
    {
        var home = Dump("mint-home.en.xml");
        Assert.That(SelectorMatcher.Find(home, Selector("news_item", index: 1), "en")?.Text, Is.EqualTo("Stocks close higher on tech rally"));
        Assert.That(SelectorMatcher.Find(home, Selector("news_item", index: 3), "en"), Is.Null);
        Assert.That(SelectorMatcher.Find(home, Selector("news_item", cls: "android.widget.Button"), "en"), Is.Null);
    }

    [Test]
    public void Text_contains_matches_a_url_encoded_term()
    {
        var page = UiHierarchy.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Dumps, "mint-page.en.xml"))
            .Replace("https://example.org/", "https://www.google.com/search?q=red+fox", StringComparison.Ordinal));
        var condition = new UiCondition(ConditionKind.TextContains, Selector("url_bar"), LocalizedText.Same("{term}"));
        Assert.That(SelectorMatcher.Holds(page, condition, "en", new ActionArguments(Term: "red fox"), BrowserAction.Search), Is.True);
        Assert.That(SelectorMatcher.Holds(page, condition, "en", new ActionArguments(Term: "red wolf"), BrowserAction.Search), Is.False);
    }

    [Test]
    public void Checked_reads_the_switch_state()
    {
        var settings = Dump("mint-settings.es.xml");
        var incognito = Selector("incognito_mode_switch");
        Assert.That(SelectorMatcher.Holds(settings, new UiCondition(ConditionKind.Unchecked, incognito, null), "es", ActionArguments.None, BrowserAction.IncognitoOn), Is.True);
        Assert.That(SelectorMatcher.Holds(settings, new UiCondition(ConditionKind.Checked, incognito, null), "es", ActionArguments.None, BrowserAction.IncognitoOn), Is.False);
        Assert.That(SelectorMatcher.Holds(settings, new UiCondition(ConditionKind.Enabled, Selector("sync_switch"), null), "es", ActionArguments.None, BrowserAction.SyncOn), Is.False);
    }
}
