namespace Harness.Browsers;

public enum SelectorProblem
{
    /// <summary>The element was found by its label, but the selector's id is not on the screen (a renamed id).</summary>
    IdNotOnScreen,

    /// <summary>Nothing on the screen matched the selector.</summary>
    Missing,
}
