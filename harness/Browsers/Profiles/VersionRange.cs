namespace Harness.Browsers;

/// <summary>
/// A set of versions written as space-separated comparisons that must all hold, e.g. <c>&gt;=3.4.3 &lt;3.5.0</c>.
/// Operators: &gt;=, &gt;, &lt;=, &lt;, = (a bare version means =).
/// </summary>
public sealed class VersionRange
{
    private static readonly string[] Operators = [">=", "<=", ">", "<", "="];

    private readonly IReadOnlyList<(string Operator, AppVersion Version)> _comparisons;

    private VersionRange(string text, IReadOnlyList<(string, AppVersion)> comparisons)
    {
        Text = text;
        _comparisons = comparisons;
    }

    public string Text { get; }

    /// <summary>Parses a range; the error says what is wrong in words a profile author can act on.</summary>
    public static bool TryParse(string? text, out VersionRange range, out string error)
    {
        range = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a version range is empty: write e.g. \">=3.4.3 <3.5.0\"";
            return false;
        }
        var comparisons = new List<(string, AppVersion)>();
        foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var op = Operators.FirstOrDefault(o => token.StartsWith(o, StringComparison.Ordinal)) ?? "=";
            var versionText = token.StartsWith(op, StringComparison.Ordinal) ? token[op.Length..] : token;
            if (versionText.Length == 0 || !versionText.All(c => char.IsAsciiDigit(c) || c == '.') || !AppVersion.TryParse(versionText, out var version)
                || versionText.StartsWith('.') || versionText.EndsWith('.') || versionText.Contains("..", StringComparison.Ordinal))
            {
                error = $"\"{token}\" is not a comparison: use >=, >, <=, < or = followed by a version such as 3.4.3 (e.g. \">=3.4.3 <3.5.0\")";
                return false;
            }
            comparisons.Add((op, version));
        }
        var candidate = new VersionRange(text.Trim(), comparisons);
        if (candidate.IsEmptySet())
        {
            error = $"\"{text.Trim()}\" matches no version at all (its bounds exclude each other)";
            return false;
        }
        range = candidate;
        return true;
    }

    public bool Contains(AppVersion version) => _comparisons.All(c => c.Operator switch
    {
        ">=" => version.CompareTo(c.Version) >= 0,
        ">" => version.CompareTo(c.Version) > 0,
        "<=" => version.CompareTo(c.Version) <= 0,
        "<" => version.CompareTo(c.Version) < 0,
        _ => version.CompareTo(c.Version) == 0,
    });

    // Cheap check for ranges like ">=3.5 <3.4": no bound version nor anything just above a lower bound fits.
    private bool IsEmptySet()
    {
        var probes = _comparisons.Select(c => c.Version).ToList();
        probes.AddRange(_comparisons.Select(c => AppVersion.Parse(string.Join('.', c.Version.Parts.Append(1)))));
        probes.Add(AppVersion.Parse("0"));
        return !probes.Any(Contains);
    }

    public override string ToString() => Text;
}
