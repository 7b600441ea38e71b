using Harness.Core;

namespace Harness.Scenarios;

/// <summary>
/// The exit code of a run, in one place for `harness run`, `harness nightly`, `harness summary` and run.ps1:
/// 1 a leak; 4 a phone that could not run or a run that never finished; 2 anything not judged (or nothing judged);
/// else 0. A night fails only on a new leak (a leak the previous version already had is not a new failure), is an
/// infrastructure failure when phones or the run failed, and otherwise passes.
/// </summary>
public static class RunExitCodes
{
    public static ExitCode Day(IEnumerable<CaseVerdict> verdicts, bool phoneFailed, bool finished = true)
    {
        var list = verdicts as IReadOnlyCollection<CaseVerdict> ?? verdicts.ToList();
        return list.Contains(CaseVerdict.Fail) ? ExitCode.LeakFound
            : phoneFailed || !finished ? ExitCode.Infrastructure
            : list.Contains(CaseVerdict.Inconclusive) || list.All(v => v == CaseVerdict.NotApplicable) ? ExitCode.Inconclusive
            : ExitCode.AllPass;
    }

    /// <param name="regression">The regression report's code: 1 when a case leaks what its baseline did not.</param>
    /// <param name="day">The same run judged as a day run (<see cref="Day"/>).</param>
    public static ExitCode Night(ExitCode regression, ExitCode day) =>
        regression == ExitCode.LeakFound ? ExitCode.LeakFound
        : day == ExitCode.Infrastructure || regression != ExitCode.AllPass ? ExitCode.Infrastructure
        : ExitCode.AllPass;

    /// <summary>How the summary and run.ps1 name a code.</summary>
    public static string Describe(ExitCode code) => code switch
    {
        ExitCode.AllPass => "all pass",
        ExitCode.LeakFound => "leak found",
        ExitCode.Inconclusive => "inconclusive",
        ExitCode.BadInput => "bad input",
        _ => "infrastructure",
    };
}
