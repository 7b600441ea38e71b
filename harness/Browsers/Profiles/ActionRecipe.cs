namespace Harness.Browsers;

/// <summary>The steps of one action in one version range, with selectors already resolved for that range.</summary>
public sealed record ActionRecipe(BrowserAction Action, IReadOnlyList<RecipeStep> Steps, SourceLocation Location)
{
    /// <summary>True when the recipe ends in a value (a read step), e.g. confirm-incognito-state.</summary>
    public bool ReadsState => Steps.Any(step => step is ReadStep);
}
