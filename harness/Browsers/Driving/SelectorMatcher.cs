using System.Net;
using Harness.Adb.Ui;

namespace Harness.Browsers;

/// <summary>
/// Finds a selector's element in a dump and evaluates conditions. Pure: no I/O. Resource-id wins; when no element
/// carries the id, the text / content-desc in the phone's language is tried, then in every language (labels are
/// what changes least across versions, ids what changes least across languages).
/// </summary>
internal static class SelectorMatcher
{
    /// <param name="arguments">Fill placeholders in the selector's labels (e.g. "{file}"); only needed when it has some.</param>
    public static UiElement? Find(UiHierarchy screen, ElementSelector selector, string? language, ActionArguments? arguments = null, BrowserAction action = default)
    {
        var matches = FindAll(screen, selector, language, arguments, action);
        return selector.Index < matches.Count ? matches[selector.Index] : null;
    }

    public static IReadOnlyList<UiElement> FindAll(UiHierarchy screen, ElementSelector selector, string? language, ActionArguments? arguments = null, BrowserAction action = default) =>
        FindAmong(screen.AllElements, selector, language, arguments, action);

    /// <summary>As <see cref="FindAll"/>, over a subset of a screen's elements (e.g. one app's window).</summary>
    public static IReadOnlyList<UiElement> FindAmong(IEnumerable<UiElement> elements, ElementSelector selector, string? language, ActionArguments? arguments = null, BrowserAction action = default)
    {
        var candidates = elements.Where(e => selector.ClassName is null || e.ClassName == selector.ClassName).ToList();
        foreach (var id in selector.ResourceIds)
        {
            var byId = candidates.Where(e => e.ResourceId == id).ToList();
            if (byId.Count > 0) return byId;
        }
        if (selector.Text is null && selector.ContentDescription is null) return [];
        arguments ??= ActionArguments.None;
        var byLabel = ByLabel(candidates, selector, language, arguments, action);
        return byLabel.Count > 0 || language is null ? byLabel : ByLabel(candidates, selector, null, arguments, action);
    }

    private static List<UiElement> ByLabel(List<UiElement> candidates, ElementSelector selector, string? language, ActionArguments arguments, BrowserAction action)
    {
        IReadOnlyList<string> Expand(IReadOnlyList<string> labels) =>
            labels.Select(label => label.Contains('{') ? PlaceholderExpander.Expand(label, arguments, action) : label).ToList();
        var texts = Expand(selector.Text?.Candidates(language) ?? []);
        var descriptions = Expand(selector.ContentDescription?.Candidates(language) ?? []);
        return candidates.Where(e => (e.Text.Length > 0 && texts.Contains(e.Text)) || (e.ContentDescription.Length > 0 && descriptions.Contains(e.ContentDescription))).ToList();
    }

    public static bool IsChecked(UiElement element) => element.Get("checked") == "true";

    public static bool Holds(UiHierarchy screen, UiCondition condition, string? language, ActionArguments arguments, BrowserAction action)
    {
        var element = Find(screen, condition.Selector, language, arguments, action);
        return condition.Kind switch
        {
            ConditionKind.Present => element is not null,
            ConditionKind.Absent => element is null,
            ConditionKind.Checked => element is not null && IsChecked(element),
            ConditionKind.Unchecked => element is not null && !IsChecked(element),
            ConditionKind.Enabled => element is not null && element.Enabled,
            ConditionKind.Focused => element is not null && element.Focused,
            _ => element is not null && ContainsText(element, condition.Text!, language, arguments, action),
        };
    }

    public static bool AllHold(UiHierarchy screen, IReadOnlyList<UiCondition> conditions, string? language, ActionArguments arguments, BrowserAction action) =>
        conditions.All(condition => Holds(screen, condition, language, arguments, action));

    private static bool ContainsText(UiElement element, LocalizedText text, string? language, ActionArguments arguments, BrowserAction action)
    {
        var wanted = text.Candidates(language).Select(t => PlaceholderExpander.Expand(t, arguments, action)).ToList();
        if (language is not null && text.Invariant is null)
            wanted.AddRange(text.Candidates(null).Select(t => PlaceholderExpander.Expand(t, arguments, action)));
        // An address bar shows a search term URL-encoded (q=a+b or q=a%20b), so those spellings count too.
        var spellings = wanted.SelectMany(w => new[] { w, WebUtility.UrlEncode(w), Uri.EscapeDataString(w) }).Distinct(StringComparer.Ordinal);
        return spellings.Any(s => element.Text.Contains(s, StringComparison.Ordinal) || element.ContentDescription.Contains(s, StringComparison.Ordinal));
    }
}
