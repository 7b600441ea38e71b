namespace Harness.Browsers;

/// <summary>How one recipe step fared in `profile check`.</summary>
public enum StepOutcome
{
    /// <summary>Ran, and every selector it used found its element by id (or has no id to find).</summary>
    Matched,

    /// <summary>Ran, but a selector found its element only by label: its id is not on this build's screen.</summary>
    MatchedByLabel,

    /// <summary>Ran only with an id this check suggested for one of its selectors (the profile's own did not fit).</summary>
    MatchedWithSuggestion,

    /// <summary>An optional tap whose element was not on screen.</summary>
    Skipped,

    /// <summary>Did not reach its expected state.</summary>
    Failed,

    /// <summary>Not run: an earlier step of the action failed.</summary>
    NotRun,
}
