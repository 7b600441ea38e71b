using System.Net;
using Harness.Browsers;
using Harness.Core;
using Harness.Evidence.Records;
using Harness.Leaks;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>Pure parts of the runner: which /proc/net/tcp rows mean a bypass, how a result becomes a record, exit codes.</summary>
[TestFixture]
public sealed class CaseBookkeepingTests
{
    private const int ProxyPort = 41234;

    private static ProcNetTcpEntry Entry(string remote, int port, string state = "ESTABLISHED", int uid = 10150) =>
        new(new IPEndPoint(IPAddress.Parse("10.0.0.5"), 40000), new IPEndPoint(IPAddress.Parse(remote), port), state, uid);

    [TestCase("127.0.0.1", ProxyPort, "ESTABLISHED", 10150, false, TestName = "to the proxy on loopback: accounted for")]
    [TestCase("::ffff:127.0.0.1", ProxyPort, "ESTABLISHED", 10150, false, TestName = "to the proxy on IPv4-mapped loopback: accounted for")]
    [TestCase("198.18.0.7", 443, "ESTABLISHED", 10150, true, TestName = "to a public address: bypass")]
    [TestCase("127.0.0.1", 8443, "ESTABLISHED", 10150, true, TestName = "to another loopback port: bypass")]
    [TestCase("198.18.0.7", 443, "TIME_WAIT", 10150, false, TestName = "not established: ignored")]
    [TestCase("198.18.0.7", 443, "ESTABLISHED", 1000, false, TestName = "another app's uid: ignored")]
    public void A_connection_is_a_bypass_only_when_no_flow_can_account_for_it(string remote, int port, string state, int uid, bool bypass)
    {
        Assert.That(ConnectionSampler.IsBypass(Entry(remote, port, state, uid), ProxyPort, 10150), Is.EqualTo(bypass));
    }

    [TestCase(SocketTransport.Udp, "198.18.0.7", 443, 10150, true, TestName = "UDP to 443 of the app: QUIC past the proxy")]
    [TestCase(SocketTransport.Udp, "198.18.0.7", 853, 10150, true, TestName = "UDP to 853 of the app: DNS-over-QUIC")]
    [TestCase(SocketTransport.Udp, "192.168.1.1", 53, 10150, false, TestName = "UDP to 53: a plain lookup, not content")]
    [TestCase(SocketTransport.Udp, "198.18.0.7", 443, 10999, false, TestName = "UDP 443 of another app: ignored")]
    [TestCase(SocketTransport.Tcp, "9.9.9.9", 853, 0, true, TestName = "TCP 853 of the system resolver: Private DNS still on")]
    [TestCase(SocketTransport.Tcp, "9.9.9.9", 443, 0, false, TestName = "TCP 443 of root: not the app's")]
    public void Udp_and_dns_over_tls_sockets_are_judged_by_port_and_owner(SocketTransport transport, string remote, int port, int uid, bool bypass)
    {
        var entry = Entry(remote, port, uid: uid) with { Transport = transport };
        Assert.That(ConnectionSampler.IsBypass(entry, ProxyPort, 10150), Is.EqualTo(bypass));
    }

    [Test]
    public void A_QUIC_connection_is_a_gap_named_for_what_it_is_and_survives_the_bundle()
    {
        var quic = new UnaccountedConnection(new IPEndPoint(IPAddress.Parse("198.18.0.7"), 443), DateTimeOffset.UnixEpoch, "uid 10150", SocketTransport.Udp);
        var stored = CaseJudgeConnection.From(quic);
        Assert.That(stored.Transport, Is.EqualTo("udp"));
        Assert.That(stored.ToConnection("expectations.json", "unaccountedConnections[0]"), Is.EqualTo(quic));
        Assert.That(new CaseJudgeConnection("198.18.0.7:443", DateTimeOffset.UnixEpoch, null).ToConnection("e.json", "c").Transport, Is.EqualTo(SocketTransport.Tcp), "bundles written before UDP sampling");
        var report = CoverageAnalyzer.Analyze([], new DestinationClassifier([], []), [quic]);
        Assert.That(report.Items.Single(), Is.EqualTo(new CoverageItem("quic-connection", null, "198.18.0.7", null,
            "QUIC (UDP 443) to 198.18.0.7:443 at 1970-01-01T00:00:00.0000000+00:00 went past the proxy: no captured flow accounts for it: uid 10150", true)));
    }

    [Test]
    public void The_QUIC_block_is_read_back_from_iptables_S_output()
    {
        // `iptables -S OUTPUT; iptables -S harness_quic` as a phone prints them (the implicit -m udp included).
        var listing = "-P OUTPUT ACCEPT\n-A OUTPUT -j harness_quic\n-A OUTPUT -j oem_out\n-A OUTPUT -j fw_OUTPUT\n-N harness_quic\n"
                      + "-A harness_quic -p udp -m udp --dport 443 -m owner --uid-owner 10123 -m comment --comment harness-quic-block -j DROP\n";
        Assert.That(QuicBlock.Missing(listing, [10123]), Is.Null);
        Assert.That(QuicBlock.Missing(listing, [10123, 10124]), Is.EqualTo("no UDP 443 drop for uid 10124"));
        Assert.That(QuicBlock.Missing("-P OUTPUT ACCEPT\n-N harness_quic\n", [1012]), Is.EqualTo("no jump from OUTPUT to harness_quic, no UDP 443 drop for uid 1012"));
        Assert.That(QuicBlock.Missing(listing.Replace("10123", "101234"), [10123]), Is.Not.Null, "uid 101234 is not uid 10123");
    }

    [Test]
    public void Settings_ssaid_xml_gives_each_package_its_own_ANDROID_ID()
    {
        // The text form system_server writes up to Android 11 (name = the app's uid; "userkey" is the HMAC key, not an id).
        const string xml = """
            <?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
            <settings version="-1">
              <setting id="0" name="userkey" value="6C3A0E1F9D2B4A7C8E5F1D3B2A4C6E8F0A1B2C3D4E5F60718293A4B5C6D7E8F9" package="android" defaultValue="" defaultSysSet="true" tag="null" />
              <setting id="3" name="10151" value="8f3c2a1b4d5e6f70" package="com.android.browser" defaultValue="8f3c2a1b4d5e6f70" defaultSysSet="false" tag="null" />
              <setting id="4" name="10152" value="0a1b2c3d4e5f6071" package="com.mi.globalbrowser" defaultValue="0a1b2c3d4e5f6071" defaultSysSet="false" tag="null" />
            </settings>
            """;
        var (ssaids, problem) = AppIdentifiers.ParseSsaidXml(xml);
        Assert.That(problem, Is.Null);
        Assert.That(ssaids, Is.EquivalentTo(new Dictionary<string, string> { ["com.android.browser"] = "8f3c2a1b4d5e6f70", ["com.mi.globalbrowser"] = "0a1b2c3d4e5f6071" }));
        Assert.That(AppIdentifiers.ParseSsaidXml("ABX\0\u0010garbage").Problem, Does.Contain("is not XML"));
    }

    private static ScenarioCase SomeCase()
    {
        var script = ScenarioLoader.Parse("""
            name: s
            claim: c
            modes: [ { incognito: on } ]
            steps: [launch, apply-mode, { open-url: "{canary.url}" }]
            expectations: [ { no-leak: { kinds: [url], to: [vendor] } } ]
            """, "s.yaml");
        var profile = new BrowserProfile("mint", "Mint Browser", "com.mi.globalbrowser.mini", null, "XiaoMi/Mint Browser/", TimeSpan.FromSeconds(20), ["en"], [], "mint.yaml");
        return new ScenarioCase(script, profile, script.Modes[0], "127.0.0.1:5555");
    }

    [Test]
    public void A_case_id_is_stable_and_file_name_safe()
    {
        Assert.That(SomeCase().Id, Is.EqualTo("s.mint.incognito-on.127.0.0.1_5555"));
    }

    [Test]
    public void A_result_becomes_a_record_with_findings_gaps_limits_and_steps()
    {
        var now = DateTimeOffset.UtcNow;
        var result = new CaseResult
        {
            Case = SomeCase(),
            Verdict = CaseVerdict.Fail,
            Reason = "no-leak: 1 finding",
            BrowserVersion = "3.4.0",
            Findings = [new Finding { FlowId = "f1", Host = "sa.api.intl.miui.com", Destination = DestinationClass.Vendor, CanaryKind = CanaryKind.Url, CanaryValue = "x", Form = "plain", Location = "body", DecodeChain = ["base64"], Excerpt = "…" }],
            CoverageGaps = ["failed update.miui.com"],
            CoverageLimits = ["CA not in the system store"],
            Steps = [new CaseStepTiming("launch", now, now.AddSeconds(1), "passed")],
        };
        var record = CaseRecords.ToRecord(result);
        Assert.Multiple(() =>
        {
            Assert.That(record.Verdict, Is.EqualTo(CaseVerdicts.Fail));
            Assert.That(record.Mode, Is.EqualTo("incognito=on"));
            Assert.That(record.ModeSwitches()["incognito"], Is.EqualTo("on"));
            Assert.That(record.Findings.Single().Destination, Is.EqualTo("vendor"));
            Assert.That(record.Findings.Single().CanaryKind, Is.EqualTo("url"));
            Assert.That(record.CoverageGaps, Is.EqualTo(new[] { "failed update.miui.com", "limit: CA not in the system store" }));
            Assert.That(record.Steps.Single().Name, Is.EqualTo("launch"));
        });
    }

    [Test]
    public void Exit_codes_follow_the_design()
    {
        CaseResult R(CaseVerdict v) => new() { Case = SomeCase(), Verdict = v, Reason = "" };
        var none = new Dictionary<string, string>();
        Assert.Multiple(() =>
        {
            Assert.That(new RackRunResult([R(CaseVerdict.Pass), R(CaseVerdict.NotApplicable)], none, []).ExitCode, Is.EqualTo(ExitCode.AllPass));
            Assert.That(new RackRunResult([R(CaseVerdict.Pass), R(CaseVerdict.Inconclusive)], none, []).ExitCode, Is.EqualTo(ExitCode.Inconclusive));
            Assert.That(new RackRunResult([R(CaseVerdict.Inconclusive), R(CaseVerdict.Fail)], new Dictionary<string, string> { ["x"] = "lost" }, []).ExitCode, Is.EqualTo(ExitCode.LeakFound));
            Assert.That(new RackRunResult([R(CaseVerdict.Pass)], new Dictionary<string, string> { ["x"] = "lost" }, []).ExitCode, Is.EqualTo(ExitCode.Infrastructure));
            Assert.That(new RackRunResult([], none, []).ExitCode, Is.EqualTo(ExitCode.Inconclusive), "nothing judged is never a pass");
        });
    }
}
