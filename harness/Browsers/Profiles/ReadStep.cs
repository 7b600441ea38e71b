namespace Harness.Browsers;

/// <summary>
/// Read a state back as the action's result (e.g. "is incognito on?"): true when every condition holds on a fresh
/// dump. The text of the first condition's element, when present, is returned too.
/// </summary>
public sealed record ReadStep(IReadOnlyList<UiCondition> Conditions, SourceLocation Location) : RecipeStep(Location)
{
    public override string Describe() => $"read {string.Join(" and ", Conditions)}";
}
