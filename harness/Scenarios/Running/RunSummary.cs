using Harness.Core;

namespace Harness.Scenarios;

/// <summary>
/// A run as its output folder records it (suite-results.jsonl): the summary table's rows, the totals, the phones that
/// could not run, and the run's exit code. `harness summary`, `harness run`, `harness nightly` and run.ps1 all print
/// this one summary.
/// </summary>
public sealed record RunSummary(IReadOnlyList<RunSummaryRow> Rows, IReadOnlyList<RunResultLine> Cases, IReadOnlyList<RunResultLine> PhoneFailures, bool Finished)
{
    /// <summary>Findings named in a leak row's detail; the rest are in the bundle and the Allure report.</summary>
    private const int DetailFindings = 4;

    public ExitCode ExitCode => RunExitCodes.Day(Cases.Select(c => CaseVerdictNames.FromToken(c.Verdict)), PhoneFailures.Count > 0, Finished);

    /// <summary>"cases: 6   pass: 3   LEAK: 2   inconclusive: 1   n/a: 0".</summary>
    public string Totals =>
        $"cases: {Cases.Count}   " + string.Join("   ", Enum.GetValues<CaseVerdict>()
            .Select(v => $"{CaseVerdictNames.Word(v)}: {Cases.Count(c => CaseVerdictNames.FromToken(c.Verdict) == v)}"));

    public static RunSummary Read(string outputDirectory) => Of(RunResultLine.ReadAll(Path.Combine(outputDirectory, RunResultLine.FileName)));

    public static RunSummary Of(IReadOnlyList<RunResultLine> lines)
    {
        var cases = lines.Where(l => l.Kind == RunResultLine.CaseKind).ToList();
        var rows = cases
            .GroupBy(c => (Browser: $"{c.Browser} {c.Version}".Trim(), c.Scenario, c.Mode))
            .Select(cell =>
            {
                var worst = cell.OrderByDescending(c => CaseVerdictNames.Severity(CaseVerdictNames.FromToken(c.Verdict))).First();
                var verdict = CaseVerdictNames.FromToken(worst.Verdict);
                var phones = string.Join(", ", cell.Select(c => c.Model ?? c.Serial).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
                var detail = verdict switch
                {
                    // A leak without canary findings (an identifier that links sessions) says why in its reason.
                    CaseVerdict.Fail when worst.Findings.Count > 0 => string.Join(", ", worst.Findings.Take(DetailFindings)),
                    CaseVerdict.Pass => "",
                    _ => worst.Reason ?? "",
                };
                return new RunSummaryRow(cell.Key.Browser, cell.Key.Scenario ?? "", cell.Key.Mode ?? "", verdict, phones, detail);
            })
            .OrderBy(r => r.Browser, StringComparer.Ordinal).ThenBy(r => r.Scenario, StringComparer.Ordinal).ThenBy(r => r.Mode, StringComparer.Ordinal)
            .ToList();
        return new RunSummary(rows, cases, lines.Where(l => l.Kind == RunResultLine.DeviceKind).ToList(), lines.Any(l => l.Kind == RunResultLine.RunKind));
    }
}
