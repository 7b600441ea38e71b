namespace Harness.Browsers;

/// <summary>
/// What `harness profile check` found for one profile on one phone. <see cref="AllWork"/>: every checked action ran
/// with every selector found by id; <see cref="Complete"/>: every action of the installed version was checked.
/// </summary>
public sealed record ProfileCheckReport(BrowserProfile Profile, string InstalledVersion, BrowserVersionRange Range, string? Language,
    IReadOnlyList<ActionCheck> Actions, IReadOnlyList<SelectorIssue> Issues, IReadOnlyList<string> Notes)
{
    public bool AllWork => Issues.Count == 0 && Actions.All(a => a.Works != false);
    public bool Complete => Actions.All(a => a.Checked);
}
