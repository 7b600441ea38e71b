using Harness.Core;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>
/// The summary `harness summary` prints from suite-results.jsonl: one row per browser version × scenario × mode with the
/// worst verdict across phones, and the run's exit code, also when the run never finished or is judged as a night.
/// </summary>
[TestFixture]
public sealed class RunSummaryTests
{
    private static RunResultLine Case(string serial, string model, string version, string scenario, string mode, string verdict, string reason = "", params string[] findings) =>
        new()
        {
            Kind = RunResultLine.CaseKind, Serial = serial, Model = model, Browser = "mint", Version = version, Scenario = scenario, Mode = mode,
            Verdict = verdict, Reason = reason, Findings = findings,
        };

    private static readonly RunResultLine End = new() { Kind = RunResultLine.RunKind };

    [Test]
    public void A_cell_shows_the_worst_verdict_across_phones_with_its_findings()
    {
        var summary = RunSummary.Of([
            Case("a", "Redmi Note 8", "3.4.0", "incognito-url", "incognito=on", "pass"),
            Case("b", "Mi 10", "3.4.0", "incognito-url", "incognito=on", "fail", "no-leak", "sa.api.intl.miui.com:url", "sa.api.intl.miui.com:host"),
            Case("a", "Redmi Note 8", "3.4.0", "control-leak", "incognito=off", "inconclusive", "TLS refused"),
            Case("b", "Mi 10", "3.4.0", "control-leak", "incognito=off", "pass"),
            End,
        ]);

        Assert.That(summary.Rows, Has.Count.EqualTo(2));
        var leak = summary.Rows.Single(r => r.Scenario == "incognito-url");
        Assert.That(leak.Verdict, Is.EqualTo(CaseVerdict.Fail));
        Assert.That(leak.Phones, Is.EqualTo("Mi 10, Redmi Note 8"));
        Assert.That(leak.Detail, Is.EqualTo("sa.api.intl.miui.com:url, sa.api.intl.miui.com:host"));
        var unseen = summary.Rows.Single(r => r.Scenario == "control-leak");
        Assert.That(unseen.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), "one phone that could not see makes the cell inconclusive");
        Assert.That(unseen.Detail, Is.EqualTo("TLS refused"));
        Assert.That(summary.Totals, Is.EqualTo("cases: 4   pass: 2   LEAK: 1   inconclusive: 1   n/a: 0"));
        var linked = RunSummary.Of([Case("a", "Mi 10", "3.4.3", "incognito-identifier-persistence", "incognito=on", "fail", "no-linkable-id: device_id recurs"), End]);
        Assert.That(linked.Rows.Single().Detail, Is.EqualTo("no-linkable-id: device_id recurs"), "a leak without canary findings says why");
        Assert.That(summary.ExitCode, Is.EqualTo(ExitCode.LeakFound));
    }

    [Test]
    public void The_exit_code_follows_the_day_rules()
    {
        var pass = Case("a", "Mi 10", "3.4.3", "s", "m", "pass");
        var na = Case("a", "Mi 10", "3.4.3", "s", "m2", "n/a", "no such mode");
        var phoneLost = new RunResultLine { Kind = RunResultLine.DeviceKind, Serial = "b", Reason = "could not be prepared" };
        Assert.Multiple(() =>
        {
            Assert.That(RunSummary.Of([pass, na, End]).ExitCode, Is.EqualTo(ExitCode.AllPass));
            Assert.That(RunSummary.Of([pass, Case("a", "Mi 10", "3.4.3", "s", "m3", "inconclusive"), End]).ExitCode, Is.EqualTo(ExitCode.Inconclusive));
            Assert.That(RunSummary.Of([na, End]).ExitCode, Is.EqualTo(ExitCode.Inconclusive), "nothing judged is never a pass");
            Assert.That(RunSummary.Of([End]).ExitCode, Is.EqualTo(ExitCode.Inconclusive), "nothing ran");
            Assert.That(RunSummary.Of([pass, phoneLost, End]).ExitCode, Is.EqualTo(ExitCode.Infrastructure));
            Assert.That(RunSummary.Of([pass]).ExitCode, Is.EqualTo(ExitCode.Infrastructure), "a run without its end line was killed");
            Assert.That(RunSummary.Of([pass, phoneLost, Case("a", "Mi 10", "3.4.3", "t", "m", "fail")]).ExitCode, Is.EqualTo(ExitCode.LeakFound), "a proven leak wins");
            Assert.That(RunSummary.Of([Case("a", "Mi 10", "3.4.3", "s", "m", "bogus"), End]).ExitCode, Is.EqualTo(ExitCode.Inconclusive), "an unknown verdict is never read as a pass");
        });
    }

    [TestCase(ExitCode.LeakFound, ExitCode.LeakFound, ExitCode.LeakFound, TestName = "a new leak fails the night")]
    [TestCase(ExitCode.AllPass, ExitCode.LeakFound, ExitCode.AllPass, TestName = "a leak the previous version already had does not")]
    [TestCase(ExitCode.AllPass, ExitCode.Inconclusive, ExitCode.AllPass, TestName = "an inconclusive case does not")]
    [TestCase(ExitCode.AllPass, ExitCode.Infrastructure, ExitCode.Infrastructure, TestName = "a phone that could not run does")]
    [TestCase(ExitCode.Infrastructure, ExitCode.AllPass, ExitCode.Infrastructure, TestName = "a night without its regression report does")]
    public void The_night_rules(ExitCode regression, ExitCode day, ExitCode night) =>
        Assert.That(RunExitCodes.Night(regression, day), Is.EqualTo(night));

    [Test]
    public void Lines_cut_off_by_a_killed_run_are_skipped()
    {
        var path = Path.Combine(Path.GetTempPath(), $"suite-results-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllText(path, "{\"kind\":\"case\",\"serial\":\"a\",\"browser\":\"mint\",\"verdict\":\"pass\"}\n{\"kind\":\"case\",\"ser");
            var lines = RunResultLine.ReadAll(path);
            Assert.That(lines, Has.Count.EqualTo(1));
            Assert.That(RunSummary.Of(lines).ExitCode, Is.EqualTo(ExitCode.Infrastructure));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
