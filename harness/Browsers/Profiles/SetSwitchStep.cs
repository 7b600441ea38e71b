namespace Harness.Browsers;

/// <summary>Bring a checkable switch to <see cref="On"/>: tap only when its checked state differs, then wait for the new state (retrying the tap).</summary>
public sealed record SetSwitchStep(ElementSelector Switch, bool On, int? Attempts, SourceLocation Location) : RecipeStep(Location)
{
    public override string Describe() => $"set-switch {Switch.Name} {(On ? "on" : "off")}";
}
