using Harness.Evidence.History;
using Harness.Evidence.Records;

namespace Harness.Evidence.Regression;

/// <summary>Builds a <see cref="RegressionReport"/> from the history: pure comparison over rows read from the store.</summary>
public sealed class RegressionAnalyzer(HistoryStore store)
{
    private static readonly BrowserVersionComparer Versions = new();

    public async Task<RegressionReport> CompareAsync(long runId, CancellationToken ct)
    {
        var current = await store.ListCasesAsync(new HistoryQuery { RunId = runId }, ct);
        var entries = new List<RegressionEntry>();
        foreach (var group in current.GroupBy(c => c.Browser, StringComparer.Ordinal))
        {
            var history = await store.ListCasesAsync(new HistoryQuery { Browser = group.Key }, ct);
            entries.AddRange(group.Select(c => Compare(c, history.Where(h => h.RunId != runId && h.RunStartedUtc <= c.RunStartedUtc).ToList())));
        }
        return new RegressionReport(runId, entries);
    }

    /// <summary>Compares one case with its baseline among <paramref name="earlier"/> cases of the same browser.</summary>
    public static RegressionEntry Compare(HistoryCase current, IReadOnlyList<HistoryCase> earlier)
    {
        var candidates = earlier
            .Where(h => h.Scenario == current.Scenario && h.Mode == current.Mode
                        && h.BrowserVersion is not null && Versions.Compare(h.BrowserVersion, current.BrowserVersion) < 0)
            .ToList();
        var previousVersion = candidates.Select(h => h.BrowserVersion).Max(Versions);
        var ofPrevious = candidates.Where(h => h.BrowserVersion == previousVersion).ToList();
        var sameModel = ofPrevious.Where(h => h.Model is not null && h.Model == current.Model).ToList();
        var (pool, match) = sameModel.Count > 0 ? (sameModel, BaselineMatch.SameDeviceModel) : (ofPrevious, BaselineMatch.AnyDevice);
        // Last run of that version; within a run, a conclusive result wins over an inconclusive one from another phone.
        var baseline = pool.OrderBy(h => h.RunStartedUtc).ThenBy(h => h.RunId).ThenBy(h => h.Verdict == CaseVerdicts.Inconclusive ? 0 : 1).LastOrDefault();
        if (baseline is null) return new RegressionEntry { Current = current, Change = RegressionChange.NoBaseline, Match = BaselineMatch.None };

        var nowKeys = current.Verdict == CaseVerdicts.Fail ? current.FindingKeys.ToHashSet(StringComparer.Ordinal) : [];
        var thenKeys = baseline.Verdict == CaseVerdicts.Fail ? baseline.FindingKeys.ToHashSet(StringComparer.Ordinal) : [];
        var added = nowKeys.Where(k => !thenKeys.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var removed = current.Verdict == CaseVerdicts.Inconclusive ? [] : thenKeys.Where(k => !nowKeys.Contains(k)).Order(StringComparer.Ordinal).ToList();

        var change =
            current.Verdict == CaseVerdicts.Fail && (baseline.Verdict != CaseVerdicts.Fail || added.Count > 0) ? RegressionChange.NewLeak
            : baseline.Verdict == CaseVerdicts.Fail && current.Verdict != CaseVerdicts.Inconclusive && (current.Verdict == CaseVerdicts.Pass || removed.Count > 0) ? RegressionChange.FixedLeak
            : current.Verdict == CaseVerdicts.Inconclusive && baseline.Verdict != CaseVerdicts.Inconclusive ? RegressionChange.NewlyInconclusive
            : RegressionChange.Unchanged;
        return new RegressionEntry { Current = current, Baseline = baseline, Match = match, Change = change, NewFindings = added, FixedFindings = removed };
    }
}
