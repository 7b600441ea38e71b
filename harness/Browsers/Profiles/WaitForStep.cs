namespace Harness.Browsers;

/// <summary>Re-dump the screen until every condition holds, bounded by <see cref="Timeout"/> (the driver's step timeout when null).</summary>
public sealed record WaitForStep(IReadOnlyList<UiCondition> Conditions, TimeSpan? Timeout, SourceLocation Location) : RecipeStep(Location)
{
    public override string Describe() => $"wait-for {string.Join(" and ", Conditions)}";
}
