using Harness.Core;

namespace Harness.Scenarios;

/// <summary>All case results of a rack run, plus the phones that could not take part.</summary>
public sealed record RackRunResult(IReadOnlyList<CaseResult> Results, IReadOnlyDictionary<string, string> DeviceFailures, IReadOnlyList<RecoveryOutcome> Recovered)
{
    /// <summary>design.md: 1 a leak, 4 a phone that could not run, 2 anything not judged (or nothing ran), else 0.</summary>
    public ExitCode ExitCode =>
        Results.Any(r => r.Verdict == CaseVerdict.Fail) ? ExitCode.LeakFound
        : DeviceFailures.Count > 0 ? ExitCode.Infrastructure
        : Results.Any(r => r.Verdict == CaseVerdict.Inconclusive) || Results.All(r => r.Verdict == CaseVerdict.NotApplicable) ? ExitCode.Inconclusive
        : ExitCode.AllPass;
}
