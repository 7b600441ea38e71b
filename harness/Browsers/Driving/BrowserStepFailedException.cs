namespace Harness.Browsers;

/// <summary>
/// A recipe step whose check did not hold: the browser is not in the state the scenario needs, so the case is
/// inconclusive (not failed). Carries what a person needs to see why: the step, what was expected, a screenshot and
/// the UI dump taken when it failed.
/// </summary>
public sealed class BrowserStepFailedException : Exception
{
    public BrowserStepFailedException(string profileId, string? action, int? stepIndex, string step, SourceLocation? stepLocation,
        string expected, byte[]? screenshotPng, string? uiDumpXml, string? evidenceProblem, Exception? inner = null)
        : base(Compose(profileId, action, stepIndex, step, stepLocation, expected, evidenceProblem), inner)
    {
        ProfileId = profileId;
        Action = action;
        StepIndex = stepIndex;
        Step = step;
        StepLocation = stepLocation;
        Expected = expected;
        ScreenshotPng = screenshotPng;
        UiDumpXml = uiDumpXml;
        EvidenceProblem = evidenceProblem;
    }

    public string ProfileId { get; }

    /// <summary>The action's YAML name (open-url …), or "launch".</summary>
    public string? Action { get; }

    /// <summary>0-based index of the step in its recipe; null for launch.</summary>
    public int? StepIndex { get; }

    public string Step { get; }
    public SourceLocation? StepLocation { get; }
    public string Expected { get; }

    /// <summary>PNG bytes of the screen when the step failed; null when the screenshot itself failed (see <see cref="EvidenceProblem"/>).</summary>
    public byte[]? ScreenshotPng { get; }

    /// <summary>The uiautomator dump the failed check looked at.</summary>
    public string? UiDumpXml { get; }

    /// <summary>Why a screenshot or dump is missing, if one is.</summary>
    public string? EvidenceProblem { get; }

    private static string Compose(string profileId, string? action, int? stepIndex, string step, SourceLocation? location, string expected, string? evidenceProblem)
    {
        var where = stepIndex is { } i ? $" step {i}" : "";
        var source = location is { } l ? $" ({l})" : "";
        var evidence = evidenceProblem is null ? "screenshot and UI dump attached" : evidenceProblem;
        return $"{profileId} {action}{where}{source}: {step}: expected {expected}; {evidence}";
    }
}
