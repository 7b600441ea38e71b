using System.Globalization;

namespace Harness.Browsers;

/// <summary>
/// An Android versionName compared by its leading numeric parts ("12.1.3-g" → 12.1.3). Missing parts count as 0,
/// so 3.4 equals 3.4.0. Anything after the numbers is kept for display only.
/// </summary>
public sealed class AppVersion : IComparable<AppVersion>, IEquatable<AppVersion>
{
    private AppVersion(IReadOnlyList<int> parts, string text)
    {
        Parts = parts;
        Text = text;
    }

    public IReadOnlyList<int> Parts { get; }
    public string Text { get; }

    public static bool TryParse(string? text, out AppVersion version)
    {
        version = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var trimmed = text.Trim();
        var parts = new List<int>();
        var position = 0;
        while (position < trimmed.Length && char.IsAsciiDigit(trimmed[position]))
        {
            var start = position;
            while (position < trimmed.Length && char.IsAsciiDigit(trimmed[position])) position++;
            if (!int.TryParse(trimmed.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var part))
                return false;
            parts.Add(part);
            if (position + 1 < trimmed.Length && trimmed[position] == '.' && char.IsAsciiDigit(trimmed[position + 1])) position++;
            else break;
        }
        if (parts.Count == 0) return false;
        version = new AppVersion(parts, trimmed);
        return true;
    }

    public static AppVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"\"{text}\" is not a version (expected digits and dots, e.g. 3.4.3)");

    public int CompareTo(AppVersion? other)
    {
        if (other is null) return 1;
        for (var i = 0; i < Math.Max(Parts.Count, other.Parts.Count); i++)
        {
            var mine = i < Parts.Count ? Parts[i] : 0;
            var theirs = i < other.Parts.Count ? other.Parts[i] : 0;
            if (mine != theirs) return mine.CompareTo(theirs);
        }
        return 0;
    }

    public bool Equals(AppVersion? other) => CompareTo(other) == 0;
    public override bool Equals(object? obj) => obj is AppVersion other && Equals(other);
    public override int GetHashCode() => string.Join('.', Parts.Reverse().SkipWhile(p => p == 0).Reverse()).GetHashCode(StringComparison.Ordinal);
    public override string ToString() => Text;
}
