namespace Harness.Browsers;

/// <summary>One UI step of an action's recipe. The concrete kinds mirror the YAML keys (tap, type, key, wait-for, set-switch, assert, read).</summary>
public abstract record RecipeStep(SourceLocation Location)
{
    /// <summary>The step as a reader of a failure report wants to see it, e.g. <c>tap menu</c>.</summary>
    public abstract string Describe();
}
