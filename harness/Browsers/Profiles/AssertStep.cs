namespace Harness.Browsers;

/// <summary>Check, on one fresh dump, that every condition holds (use wait-for to wait for a state first).</summary>
public sealed record AssertStep(IReadOnlyList<UiCondition> Conditions, SourceLocation Location) : RecipeStep(Location)
{
    public override string Describe() => $"assert {string.Join(" and ", Conditions)}";
}
