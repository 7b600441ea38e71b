namespace Harness.Browsers;

/// <summary>Suggests the nearest known name for a misspelt one (edit distance), for error messages.</summary>
public static class DidYouMean
{
    /// <summary>" (did you mean \"x\"?)" or "" when nothing is close enough.</summary>
    public static string Hint(string given, IEnumerable<string> known)
    {
        var best = known
            .Select(candidate => (candidate, distance: Distance(given.ToLowerInvariant(), candidate.ToLowerInvariant())))
            .OrderBy(pair => pair.distance)
            .FirstOrDefault();
        if (best.candidate is null) return "";
        var allowed = Math.Max(2, given.Length / 3);
        return best.distance <= allowed ? $" (did you mean \"{best.candidate}\"?)" : "";
    }

    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
