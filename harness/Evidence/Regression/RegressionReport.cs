using System.Text;
using Harness.Core;
using Harness.Evidence.Bundles;

namespace Harness.Evidence.Regression;

/// <summary>Each case of a run against the last run of the previous version of the same browser, scenario and mode.</summary>
public sealed record RegressionReport(long RunId, IReadOnlyList<RegressionEntry> Entries)
{
    public IEnumerable<RegressionEntry> Of(RegressionChange change) => Entries.Where(e => e.Change == change);

    /// <summary>1 (leak) when any case leaks something its baseline did not; 0 otherwise. The nightly exits with this.</summary>
    public ExitCode ExitCode => Entries.Any(e => e.Change == RegressionChange.NewLeak) ? ExitCode.LeakFound : ExitCode.AllPass;

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"# Regression report for run {RunId}");
        md.AppendLine();
        md.AppendLine("Baseline: the last run of the highest earlier version of the same browser on the same scenario and mode, "
                      + "on a phone of the same model when there is one, otherwise on any phone (column *Baseline on*).");
        md.AppendLine();
        foreach (var change in Enum.GetValues<RegressionChange>())
            md.AppendLine($"- {Title(change)}: {Of(change).Count()}");
        md.AppendLine();
        md.AppendLine("| Change | Browser | Scenario | Mode | Device | Version | Verdict | Baseline version | Baseline verdict | Baseline on | New findings | Fixed findings |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var e in Entries.OrderBy(e => e.Change).ThenBy(e => e.Current.Browser, StringComparer.Ordinal).ThenBy(e => e.Current.Scenario, StringComparer.Ordinal))
        {
            md.AppendLine(string.Join(" | ",
                "| " + Title(e.Change), Cell(e.Current.Browser), Cell(e.Current.Scenario), Cell(e.Current.Mode),
                Cell(e.Current.Model ?? e.Current.Device), Cell(e.Current.BrowserVersion), e.Current.Verdict,
                Cell(e.Baseline?.BrowserVersion), Cell(e.Baseline?.Verdict), MatchText(e.Match),
                Cell(string.Join(", ", e.NewFindings)), Cell(string.Join(", ", e.FixedFindings)) + " |"));
        }
        return md.ToString();
    }

    public string ToJson() => Encoding.UTF8.GetString(BundleJson.Serialize(new
    {
        RunId,
        ExitCode = (int)ExitCode,
        Counts = Enum.GetValues<RegressionChange>().ToDictionary(c => c.ToString(), c => Of(c).Count()),
        Entries = Entries.Select(e => new
        {
            Change = e.Change.ToString(),
            BaselineMatch = e.Match.ToString(),
            e.Current.CaseId, e.Current.Browser, e.Current.Scenario, e.Current.Mode, e.Current.Device, e.Current.Model,
            e.Current.BrowserVersion, e.Current.Verdict,
            BaselineRunId = e.Baseline?.RunId, BaselineVersion = e.Baseline?.BrowserVersion, BaselineVerdict = e.Baseline?.Verdict,
            BaselineDevice = e.Baseline?.Device,
            e.NewFindings, e.FixedFindings,
        }),
    }));

    private static string Title(RegressionChange change) => change switch
    {
        RegressionChange.NewLeak => "NEW LEAK",
        RegressionChange.FixedLeak => "fixed leak",
        RegressionChange.NewlyInconclusive => "newly inconclusive",
        RegressionChange.Unchanged => "unchanged",
        _ => "no baseline",
    };

    private static string MatchText(BaselineMatch match) => match switch
    {
        BaselineMatch.SameDeviceModel => "same model",
        BaselineMatch.AnyDevice => "other model",
        _ => "-",
    };

    private static string Cell(string? text) => string.IsNullOrEmpty(text) ? "-" : text.Replace("|", "\\|");
}
