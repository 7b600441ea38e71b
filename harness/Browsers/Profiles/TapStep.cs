namespace Harness.Browsers;

/// <summary>
/// Tap the centre of an element. When <see cref="Expect"/> is given and does not hold after the tap, the tap did not
/// take: the driver re-dumps and taps again, up to <see cref="Attempts"/> times. An <see cref="Optional"/> tap is
/// skipped when the element is not on the current screen.
/// </summary>
public sealed record TapStep(ElementSelector Target, IReadOnlyList<UiCondition> Expect, bool Optional, int? Attempts, SourceLocation Location)
    : RecipeStep(Location)
{
    public override string Describe() =>
        $"tap {Target.Name}" + (Optional ? " (optional)" : "") + (Expect.Count > 0 ? " expecting " + string.Join(" and ", Expect) : "");
}
