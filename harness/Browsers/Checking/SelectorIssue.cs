namespace Harness.Browsers;

/// <summary>
/// A selector that does not fit the installed build: what is wrong, where it was seen, the closest elements on that
/// screen (best first) and the change of the profile that would make it fit (null when no candidate has an id).
/// </summary>
public sealed record SelectorIssue(ElementSelector Selector, SelectorProblem Problem, BrowserAction SeenIn, int StepIndex,
    IReadOnlyList<CandidateElement> Candidates, ProfileEdit? SuggestedEdit, string Suggestion);
