using Harness.Browsers;
using Harness.Flows;
using Harness.Leaks;
using Harness.Leaks.Tests;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>
/// The heartbeat rule of <see cref="CaseJudge"/>: a case that found nothing passes only when a telemetry upload started
/// after its last browsing step; the rule travels through the case record, so `harness verify` re-judges the same.
/// </summary>
[TestFixture]
public sealed class TelemetryHeartbeatJudgeTests
{
    private static readonly DateTimeOffset LastStep = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly TelemetryEndpoint Sensors = TelemetryEndpoint.TryParse("sa.api.intl.miui.com/sa")!;
    private readonly CanarySet _canaries = CanarySet.Generate(new Random(16));

    private static readonly ScenarioExpectation NoUrlToVendor = new(ScenarioExpectationKind.NoLeak, [CanaryKind.Url], [DestinationClass.Vendor], [], default);

    private static Flow Request(string method, string url, DateTimeOffset start, string body = "")
    {
        var flow = method == "POST" ? TestFlows.Post(url, body) : TestFlows.Get(url);
        flow.Timings = new FlowTimings { Start = start };
        return flow;
    }

    private static Flow Upload(DateTimeOffset start, string body = "crc=1&gzip=0&data_list=W10%3D") =>
        Request("POST", "https://sa.api.intl.miui.com/sa?project=global_browser_mini&r=IN", start, body);

    private CaseJudgement Judge(params Flow[] flows) => CaseJudge.Judge(new CanaryScanner(), new CaseJudgeInput
    {
        Flows = flows,
        Canaries = _canaries,
        Expectations = [NoUrlToVendor],
        TelemetryEndpoints = [Sensors],
        LastBrowsingStepUtc = LastStep,
    });

    [Test]
    public void An_upload_after_the_last_browsing_step_lets_a_clean_case_pass()
    {
        var judged = Judge(Upload(LastStep.AddSeconds(3)));
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Pass), judged.Reason);
        Assert.That(judged.ExpectationOutcomes, Has.Some.StartsWith("telemetry-heartbeat: pass: 1 upload(s) to sa.api.intl.miui.com/sa"));
    }

    [Test]
    public void No_upload_after_the_last_browsing_step_is_inconclusive_telemetry_silent()
    {
        // An upload before the step, the config fetch after it, and another host's POST after it: none could have carried the browsing.
        var judged = Judge(
            Upload(LastStep.AddSeconds(-1)),
            Request("GET", "https://sa.api.intl.miui.com/config/Android.conf?project=global_browser_mini", LastStep.AddSeconds(2)),
            Request("POST", "https://sa.api.intl.miui.com/sales", LastStep.AddSeconds(2), "a=b"),
            Request("POST", "https://data.mistat.intl.xiaomi.com/mistats/v2", LastStep.AddSeconds(2), "a=b"));
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), judged.Reason);
        Assert.That(judged.Reason, Does.StartWith("telemetry-heartbeat: telemetry silent: no upload to sa.api.intl.miui.com/sa"));
    }

    [Test]
    public void A_refused_handshake_to_the_endpoint_is_no_heartbeat()
    {
        var refused = Upload(LastStep.AddSeconds(2));
        refused.Method = null;
        refused.Url = null;
        refused.RequestBody = null;
        Assert.That(Judge(refused).Verdict, Is.Not.EqualTo(CaseVerdict.Pass));
        // It still ends the runner's extended wait: the SDK tried to upload, and no wait can make that readable.
        Assert.That(TelemetryHeartbeatCheck.IsUnreadableAttempt(refused, [Sensors], LastStep), Is.True);
        Assert.That(TelemetryHeartbeatCheck.IsUnreadableAttempt(refused, [Sensors], LastStep.AddSeconds(5)), Is.False);
    }

    [Test]
    public void A_leak_stays_a_leak_whatever_the_heartbeat()
    {
        var url = _canaries.Get(CanaryKind.Url)!.Value;
        var leak = Request("POST", "https://tracker.xiaomi.com/report", LastStep.AddSeconds(-2), "url=" + Uri.EscapeDataString(url));
        var judged = Judge(leak);
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Fail), judged.Reason);
    }

    [Test]
    public void A_case_without_browsing_steps_or_endpoints_is_judged_as_before()
    {
        var input = new CaseJudgeInput { Flows = [], Canaries = _canaries, Expectations = [NoUrlToVendor] };
        Assert.That(CaseJudge.Judge(new CanaryScanner(), input).Verdict, Is.EqualTo(CaseVerdict.Pass));
        Assert.That(CaseJudge.Judge(new CanaryScanner(), input with { TelemetryEndpoints = [Sensors] }).Verdict, Is.EqualTo(CaseVerdict.Pass));
        Assert.That(CaseJudge.Judge(new CanaryScanner(), input with { LastBrowsingStepUtc = LastStep }).Verdict, Is.EqualTo(CaseVerdict.Pass));
    }

    [Test]
    public void The_case_record_carries_the_rule_so_a_rejudged_bundle_reaches_the_same_verdict()
    {
        var record = new CaseJudgeRecord
        {
            Scenario = "incognito-url",
            Judged = true,
            Verdict = "inconclusive",
            Expectations = [new CaseJudgeExpectation("no-leak", ["url"], ["vendor"], [])],
            TelemetryEndpoints = ["sa.api.intl.miui.com/sa"],
            LastBrowsingStepUtc = LastStep,
        };
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(record, CaseJudgeRecord.JsonOptions);
        var read = CaseJudgeRecord.Parse(json, "expectations.json");
        var silent = CaseJudge.Judge(new CanaryScanner(), read.ToInput([Upload(LastStep.AddSeconds(-1))], _canaries, "expectations.json"));
        var alive = CaseJudge.Judge(new CanaryScanner(), read.ToInput([Upload(LastStep.AddSeconds(1))], _canaries, "expectations.json"));
        Assert.That(silent.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), silent.Reason);
        Assert.That(alive.Verdict, Is.EqualTo(CaseVerdict.Pass), alive.Reason);
        var bad = CaseJudgeRecord.Parse(System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(json).Replace("sa.api.intl.miui.com/sa", "https://x/?q")), "expectations.json");
        Assert.That(() => bad.ToInput([], _canaries, "expectations.json"), Throws.TypeOf<Harness.Core.BadInputException>().With.Property("Field").EqualTo("telemetryEndpoints[0]"));
    }

    [TestCase("sa.api.intl.miui.com/sa", "sa.api.intl.miui.com", "/sa?project=x", true)]
    [TestCase("sa.api.intl.miui.com/sa", "SA.API.INTL.MIUI.COM", "https://sa.api.intl.miui.com/sa/v2", true)]
    [TestCase("sa.api.intl.miui.com/sa", "sa.api.intl.miui.com", "/sales", false)]
    [TestCase("sa.api.intl.miui.com/sa", "sa.api.browser.miui.com", "/sa", false)]
    [TestCase("sa.api.intl.miui.com", "sa.api.intl.miui.com", "/anything", true)]
    public void Endpoints_match_host_and_path_not_query(string endpoint, string host, string url, bool matches) =>
        Assert.That(TelemetryEndpoint.TryParse(endpoint)!.Matches(host, url), Is.EqualTo(matches));
}
