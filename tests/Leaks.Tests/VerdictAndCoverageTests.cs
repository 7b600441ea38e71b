using System.Net;
using Harness.Flows;

namespace Harness.Leaks.Tests;

public sealed class VerdictAndCoverageTests
{
    private readonly ScanFixture _f = new();

    private static Flow Refused(string host, TlsOutcome outcome)
    {
        var flow = TestFlows.Get($"https://{host}/");
        flow.Kind = FlowKind.Connection;
        flow.Method = null;
        flow.Url = null;
        flow.Tls = new TlsInfo { Sni = host, Outcome = outcome, Detail = "certificate_unknown" };
        flow.Error = new FlowError(FlowErrorKind.TlsHandshake, "handshake failed");
        return flow;
    }

    [Test]
    public void Clean_capture_with_complete_coverage_passes()
    {
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events("https://example.org/"))));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass));
        Assert.That(result.Coverage.Complete);
    }

    [Test]
    public void Vendor_host_that_refused_our_tls_makes_a_clean_run_inconclusive_and_is_named()
    {
        var result = _f.Scan(Refused("sa.api.intl.miui.com", TlsOutcome.ClientClosedDuringHandshake), Refused("fonts.example.org", TlsOutcome.ClientRejectedUntrusted));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive));
        Assert.That(result.Coverage.Items, Has.Count.EqualTo(2));
        Assert.That(result.Coverage.Gaps.Single().Host, Is.EqualTo("sa.api.intl.miui.com"));
        Assert.That(result.Expectations.Single().Reason, Does.Contain("sa.api.intl.miui.com"));
    }

    [Test]
    public void Proven_leak_fails_even_with_gaps()
    {
        var result = _f.Scan(Refused("sa.api.intl.miui.com", TlsOutcome.ClientRejectedUntrusted), TestFlows.Get("https://data.mistat.intl.xiaomi.com/?u=" + _f.Title));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
    }

    [Test]
    public void Unaccounted_phone_connection_is_a_gap()
    {
        var request = new ScanRequest
        {
            Canaries = _f.Canaries,
            UnaccountedConnections = [new UnaccountedConnection(new IPEndPoint(IPAddress.Parse("161.117.1.2"), 443), DateTimeOffset.UnixEpoch)],
        };
        var result = _f.Scan(request, TestFlows.Get("https://example.org/"));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive));
        Assert.That(result.Coverage.Gaps.Single().Detail, Does.Contain("161.117.1.2:443"));
    }

    [Test]
    public void Truncated_vendor_body_and_failed_flow_without_request_are_gaps()
    {
        var truncated = TestFlows.Post(ScanFixture.SensorsUrl, "crc=1&gzip=1&data_list=H4sI");
        truncated.RequestBody!.Size = 1_000_000;
        var aborted = Refused("tracking.intl.miui.com", TlsOutcome.Intercepted);
        aborted.Error = new FlowError(FlowErrorKind.ClientAbort, "reset");
        var result = _f.Scan(truncated, aborted);
        Assert.That(result.Coverage.Gaps.Select(g => g.Kind), Is.EquivalentTo(new[] { "truncated-body", "failed" }));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive));
    }

    [Test]
    public void Leak_expected_control_passes_only_when_the_leak_is_found()
    {
        var control = new LeakExpectedExpectation([CanaryKind.Url], [DestinationClass.Vendor]);
        var leaking = TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events(_f.Url)));
        var clean = TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events("https://example.org/")));
        Assert.That(_f.Scan(new ScanRequest { Canaries = _f.Canaries, Expectations = [control] }, leaking).Verdict, Is.EqualTo(Verdict.Pass));
        Assert.That(_f.Scan(new ScanRequest { Canaries = _f.Canaries, Expectations = [control] }, clean).Verdict, Is.EqualTo(Verdict.Inconclusive));
    }

    [Test]
    public void No_leak_expectation_is_limited_to_its_kinds_and_destinations()
    {
        var onlyVendorUrls = new NoLeakExpectation([CanaryKind.Url], [DestinationClass.Vendor]);
        var thirdPartyTitle = TestFlows.Get("https://ads.example.net/?t=" + _f.Title);
        var result = _f.Scan(new ScanRequest { Canaries = _f.Canaries, Expectations = [onlyVendorUrls] }, thirdPartyTitle);
        Assert.That(result.Findings, Has.Count.EqualTo(1));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass));
    }

    [Test]
    public void Json_report_has_the_issue_fields()
    {
        var result = _f.Scan(TestFlows.Post(ScanFixture.SensorsUrl, SensorsBody.Build(SensorsBody.Events(_f.Url))));
        using var doc = System.Text.Json.JsonDocument.Parse(ScanReportWriter.ToJson(result));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("verdict").GetString(), Is.EqualTo("fail"));
        var finding = root.GetProperty("findings")[0];
        foreach (var name in new[] { "flowId", "host", "destination", "canaryKind", "location", "decodeChain", "excerpt" })
            Assert.That(finding.TryGetProperty(name, out _), name);
        Assert.That(finding.GetProperty("destination").GetString(), Is.EqualTo("vendor"));
        Assert.That(root.GetProperty("coverage").GetProperty("complete").GetBoolean());
        Assert.That(ScanReportWriter.ToTable(result), Does.Contain("verdict: fail").And.Contain("sensors data_list gzip=1 crc ok > base64 > gzip > event[3] page_load_event_finish"));
    }
}
