namespace Harness.Browsers;

/// <summary>What a step does with the element a selector finds; a candidate that can play the role ranks higher.</summary>
public enum ElementRole
{
    Tap,
    Switch,
    Read,
}
