namespace Harness.Browsers;

/// <summary>One step of one action as `profile check` ran it, with the files of the screen it saw.</summary>
public sealed record StepCheck(BrowserAction Action, int Index, string Step, SourceLocation Location, StepOutcome Outcome, string? Detail,
    IReadOnlyList<string> Files);
