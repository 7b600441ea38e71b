using Harness.Core;

namespace Harness.Scenarios;

/// <summary>All case results of a rack run, plus the phones that could not take part.</summary>
public sealed record RackRunResult(IReadOnlyList<CaseResult> Results, IReadOnlyDictionary<string, string> DeviceFailures, IReadOnlyList<RecoveryOutcome> Recovered)
{
    public ExitCode ExitCode => RunExitCodes.Day(Results.Select(r => r.Verdict), DeviceFailures.Count > 0);
}
