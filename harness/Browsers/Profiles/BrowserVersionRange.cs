namespace Harness.Browsers;

/// <summary>One `versions:` entry of a profile: which versions it covers, which actions exist there, and their recipes.</summary>
public sealed class BrowserVersionRange
{
    public BrowserVersionRange(VersionRange range, IReadOnlyDictionary<BrowserAction, ActionRecipe> recipes,
        IReadOnlyDictionary<string, ElementSelector> selectors, SourceLocation location)
    {
        Range = range;
        Recipes = recipes;
        Selectors = selectors;
        Location = location;
    }

    public VersionRange Range { get; }

    /// <summary>Only the actions that exist in this range (e.g. no enhanced incognito before the fix).</summary>
    public IReadOnlyDictionary<BrowserAction, ActionRecipe> Recipes { get; }

    /// <summary>The profile's selectors with this range's overrides applied.</summary>
    public IReadOnlyDictionary<string, ElementSelector> Selectors { get; }

    public SourceLocation Location { get; }

    public bool Supports(BrowserAction action) => Recipes.ContainsKey(action);

    public override string ToString() => Range.Text;
}
