namespace Harness.Leaks;

/// <summary>
/// Turns findings and coverage into verdicts. A proven leak fails regardless of coverage; absence of leaks passes
/// only when coverage is complete; a control that expected a leak and found none is inconclusive, because then
/// the capture or the scanner is blind and nothing else in the run can be trusted.
/// </summary>
public static class ExpectationJudge
{
    public static IReadOnlyList<ExpectationOutcome> Judge(IReadOnlyList<ScanExpectation> expectations, IReadOnlyList<Finding> findings,
        CoverageReport coverage, IReadOnlyList<LinkableIdentifier> linkables, int sessionCount)
    {
        var gaps = coverage.Gaps;
        var gapText = gaps.Count == 0 ? "" : $"{gaps.Count} coverage gap(s): " + string.Join("; ", gaps.Take(5).Select(g => $"{g.Kind} {g.Host}"));
        var outcomes = new List<ExpectationOutcome>();
        foreach (var e in expectations)
        {
            switch (e)
            {
                case NoLeakExpectation n:
                {
                    var hits = findings.Where(f => n.Kinds.Contains(f.CanaryKind) && n.Destinations.Contains(f.Destination)).ToList();
                    if (hits.Count > 0) outcomes.Add(new(e, Verdict.Fail, $"{hits.Count} finding(s), first: {hits[0].CanaryKind} to {hits[0].Host} at {hits[0].Location}"));
                    else if (gaps.Count > 0) outcomes.Add(new(e, Verdict.Inconclusive, "no leak seen, but " + gapText));
                    else outcomes.Add(new(e, Verdict.Pass, "no leak and coverage complete"));
                    break;
                }
                case LeakExpectedExpectation l:
                {
                    var hits = findings.Where(f => l.Kinds.Contains(f.CanaryKind) && l.Destinations.Contains(f.Destination)).ToList();
                    outcomes.Add(hits.Count > 0
                        ? new(e, Verdict.Pass, $"control leak found: {hits[0].CanaryKind} to {hits[0].Host}")
                        : new(e, Verdict.Inconclusive, "control expected a leak and none was found: capture or scanner is blind" + (gaps.Count > 0 ? "; " + gapText : "")));
                    break;
                }
                case NoLinkableIdExpectation:
                    if (linkables.Count > 0) outcomes.Add(new(e, Verdict.Fail, $"{linkables.Count} identifier(s) recur across sessions, first: {linkables[0].Field}={linkables[0].Value}"));
                    else if (sessionCount < 2) outcomes.Add(new(e, Verdict.Inconclusive, $"needs flows tagged with two sessions, saw {sessionCount}"));
                    else if (gaps.Count > 0) outcomes.Add(new(e, Verdict.Inconclusive, "no linkable identifier seen, but " + gapText));
                    else outcomes.Add(new(e, Verdict.Pass, "no identifier recurs across sessions"));
                    break;
                default:
                    throw new ArgumentException($"Unknown expectation {e.GetType().Name}.", nameof(expectations));
            }
        }
        return outcomes;
    }

    public static Verdict Combine(IReadOnlyList<ExpectationOutcome> outcomes) =>
        outcomes.Any(o => o.Verdict == Verdict.Fail) ? Verdict.Fail
        : outcomes.Any(o => o.Verdict == Verdict.Inconclusive) ? Verdict.Inconclusive
        : Verdict.Pass;
}
