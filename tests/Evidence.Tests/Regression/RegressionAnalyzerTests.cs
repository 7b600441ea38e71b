using Harness.Core;
using Harness.Evidence.History;
using Harness.Evidence.Records;
using Harness.Evidence.Regression;
using Harness.Evidence.Tests.History;

namespace Harness.Evidence.Tests.Regression;

public sealed class RegressionAnalyzerTests
{
    private string _dir = null!;

    [SetUp] public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "regression-" + Guid.NewGuid().ToString("N")));
    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static CaseRecord Case(string version, string verdict, string model = "Redmi Note 8", params string[] leakHosts) =>
        HistoryCrashChild.Case(1, verdict) with
        {
            BrowserVersion = version,
            DeviceModel = model,
            Findings = leakHosts.Select(h => new FindingRecord { FlowId = "f", Host = h, CanaryKind = "url", Location = "request.url" }).ToList(),
        };

    private async Task<RegressionReport> TwoRunsAsync(CaseRecord before, CaseRecord after, params CaseRecord[] olderExtra)
    {
        await using var store = await HistoryStore.OpenAsync(Path.Combine(_dir, Guid.NewGuid() + ".db"), CancellationToken.None);
        var t = DateTimeOffset.Parse("2026-11-20T00:00:00Z");
        foreach (var extra in olderExtra)
        {
            var r = await store.StartRunAsync(t = t.AddHours(1), HistoryRunKind.Nightly, "1", CancellationToken.None);
            await store.RecordCaseAsync(r, extra, CancellationToken.None);
        }
        var first = await store.StartRunAsync(t = t.AddHours(1), HistoryRunKind.Nightly, "1", CancellationToken.None);
        await store.RecordCaseAsync(first, before, CancellationToken.None);
        var second = await store.StartRunAsync(t.AddHours(1), HistoryRunKind.Nightly, "1", CancellationToken.None);
        await store.RecordCaseAsync(second, after, CancellationToken.None);
        return await new RegressionAnalyzer(store).CompareAsync(second, CancellationToken.None);
    }

    [Test]
    public async Task A_new_version_that_leaks_is_a_new_leak_and_fails_the_night()
    {
        var report = await TwoRunsAsync(Case("12.4.3", CaseVerdicts.Pass), Case("12.10.1", CaseVerdicts.Fail, leakHosts: "tracking.intl.miui.com"));
        var entry = report.Entries.Single();
        Assert.That(entry.Change, Is.EqualTo(RegressionChange.NewLeak));
        Assert.That(entry.NewFindings, Is.EqualTo(new[] { "tracking.intl.miui.com:url" }));
        Assert.That(entry.Baseline!.BrowserVersion, Is.EqualTo("12.4.3"));
        Assert.That(entry.Match, Is.EqualTo(BaselineMatch.SameDeviceModel));
        Assert.That(report.ExitCode, Is.EqualTo(ExitCode.LeakFound));
        Assert.That(report.ToMarkdown(), Does.Contain("| NEW LEAK | com.mi.globalbrowser.mini | visit-url |"));
        Assert.That(report.ToJson(), Does.Contain("\"change\": \"NewLeak\""));
    }

    [Test]
    public async Task A_new_version_that_stopped_leaking_is_a_fixed_leak_and_passes()
    {
        var report = await TwoRunsAsync(Case("1.6.3", CaseVerdicts.Fail, leakHosts: "tracking.intl.miui.com"), Case("1.7.0", CaseVerdicts.Pass));
        var entry = report.Entries.Single();
        Assert.That(entry.Change, Is.EqualTo(RegressionChange.FixedLeak));
        Assert.That(entry.FixedFindings, Is.EqualTo(new[] { "tracking.intl.miui.com:url" }));
        Assert.That(report.ExitCode, Is.EqualTo(ExitCode.AllPass));
        Assert.That(report.ToMarkdown(), Does.Contain("fixed leak: 1"));
    }

    [Test]
    public async Task A_leak_to_a_new_host_on_top_of_an_old_one_is_a_new_leak()
    {
        var report = await TwoRunsAsync(Case("1.0", CaseVerdicts.Fail, leakHosts: "a.miui.com"), Case("2.0", CaseVerdicts.Fail, leakHosts: ["a.miui.com", "b.miui.com"]));
        Assert.That(report.Entries.Single().Change, Is.EqualTo(RegressionChange.NewLeak));
        Assert.That(report.Entries.Single().NewFindings, Is.EqualTo(new[] { "b.miui.com:url" }));
    }

    [Test]
    public async Task Newly_inconclusive_unchanged_and_no_baseline_are_told_apart()
    {
        Assert.That((await TwoRunsAsync(Case("1.0", CaseVerdicts.Pass), Case("2.0", CaseVerdicts.Inconclusive))).Entries.Single().Change, Is.EqualTo(RegressionChange.NewlyInconclusive));
        Assert.That((await TwoRunsAsync(Case("1.0", CaseVerdicts.Pass), Case("2.0", CaseVerdicts.Pass))).Entries.Single().Change, Is.EqualTo(RegressionChange.Unchanged));
        // Same version twice: there is no previous version to compare with.
        Assert.That((await TwoRunsAsync(Case("2.0", CaseVerdicts.Pass), Case("2.0", CaseVerdicts.Fail, leakHosts: "x"))).Entries.Single().Change, Is.EqualTo(RegressionChange.NoBaseline));
    }

    [Test]
    public async Task The_baseline_is_the_last_run_of_the_previous_version_preferring_the_same_device_model()
    {
        // Older: 0.9 leaked; then 1.0 on another model passed, then 1.0 on the same model leaked. Current: 2.0 on Redmi Note 8.
        var report = await TwoRunsAsync(
            Case("1.0", CaseVerdicts.Fail, "Redmi Note 8", "a.miui.com"),
            Case("2.0", CaseVerdicts.Fail, "Redmi Note 8", "a.miui.com"),
            Case("0.9", CaseVerdicts.Pass), Case("1.0", CaseVerdicts.Pass, "Pixel 3"));
        var entry = report.Entries.Single();
        Assert.That(entry.Baseline!.Model, Is.EqualTo("Redmi Note 8"));
        Assert.That(entry.Change, Is.EqualTo(RegressionChange.Unchanged));

        var otherModel = await TwoRunsAsync(Case("1.0", CaseVerdicts.Pass, "Pixel 3"), Case("2.0", CaseVerdicts.Fail, "Redmi Note 8", "a.miui.com"));
        Assert.That(otherModel.Entries.Single().Match, Is.EqualTo(BaselineMatch.AnyDevice));
        Assert.That(otherModel.Entries.Single().Change, Is.EqualTo(RegressionChange.NewLeak));
    }

    [Test]
    public void Versions_order_numerically()
    {
        var comparer = new BrowserVersionComparer();
        Assert.That(comparer.Compare("12.10.1", "12.9.7"), Is.GreaterThan(0));
        Assert.That(comparer.Compare("1.6.3", "1.6.3"), Is.Zero);
        Assert.That(comparer.Compare("1.6", "1.6.1"), Is.LessThan(0));
    }
}
