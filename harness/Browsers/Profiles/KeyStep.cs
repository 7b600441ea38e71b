namespace Harness.Browsers;

/// <summary>
/// Send a key event (ENTER, BACK, …). With <see cref="Until"/>, the key is pressed only while the conditions do not
/// hold yet, at most <see cref="MaxPresses"/> times (e.g. BACK until the home screen shows).
/// </summary>
public sealed record KeyStep(string KeyCode, IReadOnlyList<UiCondition> Until, int MaxPresses, SourceLocation Location) : RecipeStep(Location)
{
    public override string Describe() =>
        $"key {KeyCode}" + (Until.Count > 0 ? $" until {string.Join(" and ", Until)} (at most {MaxPresses} presses)" : "");
}
