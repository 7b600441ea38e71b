namespace Harness.Browsers;

/// <summary>Type text into the focused field (`input text`); placeholders such as <c>{url}</c> are filled from the action's arguments.</summary>
public sealed record TypeStep(string Text, SourceLocation Location) : RecipeStep(Location)
{
    public override string Describe() => $"type \"{Text}\"";
}
