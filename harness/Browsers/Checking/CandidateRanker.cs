using Harness.Adb.Ui;

namespace Harness.Browsers;

/// <summary>
/// Ranks the elements of a screen by how likely each is the one a selector meant when the selector no longer finds it
/// (a new build renamed the id, moved the view, or the phone speaks another language). Signals, strongest first: the
/// selector's label in the phone's language (then in any language), the text a condition expects, the same class, a
/// similar resource-id (shared words, then shared characters), the role the step needs (clickable for a tap, checkable
/// for a switch), and the position (top-to-bottom order breaks ties). Pure: no I/O.
/// </summary>
public static class CandidateRanker
{
    /// <summary>Below this a candidate shares neither label nor much of the id: it is listed, but no change is suggested for it.</summary>
    public const int ConvincingScore = 30;

    /// <param name="role">What the step does with the element: tap, switch, or read (a condition).</param>
    /// <param name="expectedTexts">Texts a text-contains condition expects of the element (placeholders filled).</param>
    public static IReadOnlyList<CandidateElement> Rank(IEnumerable<UiElement> elements, ElementSelector selector, string? language,
        ElementRole role, IReadOnlyList<string> expectedTexts, int count = 3)
    {
        var labelsHere = Labels(selector, language);
        var labelsAnywhere = Labels(selector, null);
        var idWords = selector.ResourceIds.Select(IdName).ToList();
        var ranked = new List<(CandidateElement Candidate, int Order)>();
        var order = 0;
        foreach (var element in elements)
        {
            order++;
            var score = 0;
            var reasons = new List<string>();
            var shown = new[] { element.Text, element.ContentDescription }.Where(t => t.Length > 0).ToList();
            if (shown.Any(labelsHere.Contains)) { score += 100; reasons.Add(language is null ? "same label" : $"same label ({language})"); }
            else if (shown.Any(labelsAnywhere.Contains)) { score += 60; reasons.Add("same label in another language"); }
            else if (shown.Any(t => labelsAnywhere.Any(l => l.Length >= 3 && t.Contains(l, StringComparison.OrdinalIgnoreCase)))) { score += 30; reasons.Add("label contained"); }
            if (expectedTexts.Count > 0 && shown.Any(t => expectedTexts.Any(x => x.Length > 0 && t.Contains(x, StringComparison.Ordinal))))
            {
                score += 40;
                reasons.Add("shows the expected text");
            }
            if (selector.ClassName is not null && element.ClassName == selector.ClassName) { score += 20; reasons.Add("same class"); }
            if (element.ResourceId.Length > 0 && idWords.Count > 0)
            {
                var similarity = idWords.Max(old => IdSimilarity(old, IdName(element.ResourceId)));
                var points = (int)Math.Round(60 * similarity);
                if (points > 0) { score += points; reasons.Add($"similar id ({similarity:0.00})"); }
            }
            if (role == ElementRole.Tap && element.Clickable) { score += 10; reasons.Add("clickable"); }
            if (role == ElementRole.Switch && element.Get("checkable") == "true") { score += 25; reasons.Add("checkable"); }
            if (score <= 10) continue;
            ranked.Add((new CandidateElement(element, score, reasons), order));
        }
        return ranked.OrderByDescending(r => r.Candidate.Score).ThenBy(r => r.Order).Take(count).Select(r => r.Candidate).ToList();
    }

    private static HashSet<string> Labels(ElementSelector selector, string? language)
    {
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in (selector.Text?.Candidates(language) ?? []).Concat(selector.ContentDescription?.Candidates(language) ?? []))
            if (!label.Contains('{')) labels.Add(label);
        return labels;
    }

    /// <summary>"com.mi.globalbrowser:id/page_title" → "page_title".</summary>
    internal static string IdName(string resourceId)
    {
        var slash = resourceId.IndexOf(":id/", StringComparison.Ordinal);
        return slash >= 0 ? resourceId[(slash + 4)..] : resourceId;
    }

    /// <summary>
    /// 0..1: words shared (ids are snake_case or camelCase, so "page_title" and "web_page_title" share two of three),
    /// with the longest common substring as the weaker second signal (renames such as "btn" for "button").
    /// </summary>
    internal static double IdSimilarity(string a, string b)
    {
        var wordsA = Words(a);
        var wordsB = Words(b);
        var union = wordsA.Union(wordsB).Count();
        var jaccard = union == 0 ? 0 : (double)wordsA.Intersect(wordsB).Count() / union;
        var common = LongestCommonSubstring(a.ToLowerInvariant(), b.ToLowerInvariant());
        var substring = common < 3 ? 0 : (double)common / Math.Max(a.Length, b.Length);
        return 0.7 * jaccard + 0.3 * substring;
    }

    private static HashSet<string> Words(string id)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            var boundary = !char.IsLetterOrDigit(c) || (char.IsUpper(c) && i > 0 && char.IsLower(id[i - 1]));
            if (boundary && current.Length > 0) { words.Add(current.ToString()); current.Clear(); }
            if (char.IsLetterOrDigit(c)) current.Append(char.ToLowerInvariant(c));
        }
        if (current.Length > 0) words.Add(current.ToString());
        return words;
    }

    private static int LongestCommonSubstring(string a, string b)
    {
        var best = 0;
        var previous = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            for (var j = 1; j <= b.Length; j++)
                if (a[i - 1] == b[j - 1]) best = Math.Max(best, current[j] = previous[j - 1] + 1);
            previous = current;
        }
        return best;
    }
}
