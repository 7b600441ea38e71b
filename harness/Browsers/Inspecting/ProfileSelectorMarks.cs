using Harness.Adb.Ui;

namespace Harness.Browsers;

/// <summary>
/// Which elements of a screen the loaded profiles' selectors find, so `harness ui` can show what a profile would tap.
/// A profile's selectors are matched against its own package's elements only (a label such as "Settings" would
/// otherwise mark every app's). Every selector of every version range counts, once per distinct definition. No I/O.
/// </summary>
public static class ProfileSelectorMarks
{
    public static IReadOnlyDictionary<UiElement, IReadOnlyList<SelectorMark>> Find(UiHierarchy screen, IEnumerable<BrowserProfile> profiles, string? language)
    {
        ArgumentNullException.ThrowIfNull(screen);
        var marks = new Dictionary<UiElement, List<SelectorMark>>();
        foreach (var profile in profiles)
        {
            var own = screen.AllElements.Where(e => e.Package == profile.Package).ToList();
            if (own.Count == 0) continue;
            foreach (var selector in DistinctSelectors(profile))
            {
                var found = SelectorMatcher.FindAmong(own, selector, language);
                if (found.Count == 0) continue;
                var byId = found.All(e => selector.ResourceIds.Contains(e.ResourceId));
                var picked = selector.Index < found.Count ? [found[selector.Index]] : found;
                foreach (var element in picked)
                {
                    if (!marks.TryGetValue(element, out var list)) marks[element] = list = [];
                    var mark = new SelectorMark(profile.Id, selector.Name, byId);
                    if (!list.Contains(mark)) list.Add(mark);
                }
            }
        }
        return marks.ToDictionary(p => p.Key, p => (IReadOnlyList<SelectorMark>)p.Value);
    }

    /// <summary>The selectors of every range (overrides applied), each distinct definition once.</summary>
    public static IReadOnlyList<ElementSelector> DistinctSelectors(BrowserProfile profile)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<ElementSelector>();
        foreach (var range in profile.VersionRanges)
            foreach (var selector in range.Selectors.Values)
                if (seen.Add(selector.ToString())) result.Add(selector);
        return result;
    }
}
