namespace Harness.Browsers;

/// <summary>
/// A label as the phone shows it: one text per language (en, es, …), or one text for every language when the
/// YAML gives a plain string (brand names, placeholders such as "{url}").
/// </summary>
public sealed class LocalizedText
{
    private readonly IReadOnlyDictionary<string, string> _byLanguage;

    private LocalizedText(string? invariant, IReadOnlyDictionary<string, string> byLanguage)
    {
        Invariant = invariant;
        _byLanguage = byLanguage;
    }

    /// <summary>The text when it is the same in every language; null when it is given per language.</summary>
    public string? Invariant { get; }

    public IReadOnlyDictionary<string, string> ByLanguage => _byLanguage;

    public static LocalizedText Same(string text) => new(text, new Dictionary<string, string>());

    public static LocalizedText PerLanguage(IReadOnlyDictionary<string, string> byLanguage) =>
        new(null, new Dictionary<string, string>(byLanguage, StringComparer.Ordinal));

    /// <summary>The texts to look for: the one of <paramref name="language"/>, or every language's when it is null or unknown.</summary>
    public IReadOnlyList<string> Candidates(string? language)
    {
        if (Invariant is not null) return [Invariant];
        if (language is not null && _byLanguage.TryGetValue(language, out var text)) return [text];
        return _byLanguage.Values.Distinct(StringComparer.Ordinal).ToList();
    }

    public override string ToString() =>
        Invariant is not null ? $"\"{Invariant}\"" : "{" + string.Join(", ", _byLanguage.Select(p => $"{p.Key}: \"{p.Value}\"")) + "}";
}
