namespace Harness.Browsers;

/// <summary>The `profile check` report as text: per action and step what happened, then every selector that does not fit with its candidates and the suggested change.</summary>
public static class ProfileCheckReportWriter
{
    public static void Write(TextWriter output, ProfileCheckReport report, string serial)
    {
        var profile = report.Profile;
        output.WriteLine($"profile {profile.Id} ({profile.SourceFile}) on {serial}: {profile.Package} {report.InstalledVersion}, version range \"{report.Range.Range.Text}\", language {report.Language ?? "unknown (every language tried)"}");
        foreach (var action in report.Actions)
        {
            var verdict = action.Works switch
            {
                true when action.Steps.Any(s => s.Outcome == StepOutcome.MatchedWithSuggestion) => "works with the suggested changes",
                true when action.Steps.Any(s => s.Outcome == StepOutcome.MatchedByLabel) => "works, but only by label (stale ids)",
                true => "works",
                false => "BROKEN",
                null => "not checked: " + action.NotCheckedReason,
            };
            output.WriteLine($"  {action.Action.ToName(),-26} {verdict}");
            foreach (var step in action.Steps)
            {
                var outcome = step.Outcome switch
                {
                    StepOutcome.Matched => "matched",
                    StepOutcome.MatchedByLabel => "matched by label",
                    StepOutcome.MatchedWithSuggestion => "matched with a suggested id",
                    StepOutcome.Skipped => "skipped",
                    StepOutcome.Failed => "FAILED",
                    _ => "not run",
                };
                output.WriteLine($"      {step.Index + 1,2}. {step.Step} ({step.Location.File}:{step.Location.Line}): {outcome}{(step.Detail is null ? "" : " - " + step.Detail)}");
            }
        }
        if (report.Issues.Count > 0)
        {
            output.WriteLine($"selectors that do not fit {profile.Package} {report.InstalledVersion}:");
            foreach (var issue in report.Issues)
            {
                var what = issue.Problem == SelectorProblem.Missing
                    ? "not on screen"
                    : $"id {string.Join(" | ", issue.Selector.ResourceIds.Select(CandidateRanker.IdName))} not on screen (found by label only)";
                var where = issue.StepIndex < 0 ? "used by no action, seen on a screen of the check" : $"in {issue.SeenIn.ToName()} step {issue.StepIndex + 1}";
                output.WriteLine($"  {issue.Selector.Name} ({issue.Selector.Location}): {what}, {where}");
                if (issue.Candidates.Count == 0) output.WriteLine("      no candidate on that screen");
                for (var i = 0; i < issue.Candidates.Count; i++)
                    output.WriteLine($"      {i + 1}. {issue.Candidates[i]}");
                output.WriteLine($"      suggested: {issue.Suggestion}");
            }
        }
        foreach (var note in report.Notes) output.WriteLine("note: " + note);
        var works = report.Actions.Count(a => a.Works == true);
        var broken = report.Actions.Count(a => a.Works == false);
        var notChecked = report.Actions.Count(a => !a.Checked);
        output.WriteLine($"result: {works} action(s) work, {broken} broken, {notChecked} not checked; {report.Issues.Count} selector(s) do not fit");
    }
}
