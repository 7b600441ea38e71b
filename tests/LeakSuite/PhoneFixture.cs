using System.Text;
using Harness.Leaks;
using Harness.Scenarios;

namespace Harness.LeakSuite;

/// <summary>
/// One phone of the rack. Fixtures run in parallel (one per phone); the cases inside run one at a time, on a session
/// prepared once (CA, proxy, adb reverse, http_proxy) and restored in the one-time teardown whatever happened.
/// </summary>
[TestFixtureSource(typeof(PhoneFixture), nameof(Phones))]
[Parallelizable(ParallelScope.Self)]
[Category(LeakSuiteCategories.Suite)]
public sealed class PhoneFixture(string serial)
{
    /// <summary>The argument of the single test a broken configuration produces.</summary>
    public const string ConfigurationCaseKey = "(configuration)";

    private DeviceSession? _session;

    public static IEnumerable<TestFixtureData> Phones()
    {
        var plan = CurrentPlan.Value;
        if (plan.ConfigurationError is not null)
        {
            yield return new TestFixtureData(ConfigurationCaseKey);
            yield break;
        }
        foreach (var phone in plan.Serials)
        {
            var data = new TestFixtureData(phone);
            data.Properties.Add("Category", "device:" + phone);
            yield return data;
        }
    }

    [OneTimeSetUp]
    public async Task PrepareAsync()
    {
        var run = LeakSuiteSetUp.Run;
        if (run is null || serial == ConfigurationCaseKey) return;
        var ct = TestContext.CurrentContext.CancellationToken;
        try
        {
            _session = await DeviceSession.PrepareAsync(run.Adb, serial, new DeviceSessionOptions
            {
                CertificateAuthority = run.CertificateAuthority,
                FlowDirectory = Path.Combine(run.FlowsDirectory, SafeName(serial)),
                SessionsDirectory = run.Settings.SessionsDirectory,
                ProxyPort = run.Settings.ProxyBasePort == 0 ? 0 : run.Settings.ProxyBasePort + run.Plan.Serials.ToList().IndexOf(serial),
                SettingsProfilePath = run.Settings.SettingsProfilePath,
            }, ct);
            TestContext.Progress.WriteLine($"{serial}: prepared ({_session.Model}, {(_session.IsRooted ? "rooted" : "not rooted")}, proxy port {_session.ProxyPort})"
                                           + (_session.CoverageLimits.Count == 0 ? "" : "; limits: " + string.Join("; ", _session.CoverageLimits)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var message = $"phone {serial} could not be prepared: {e.GetType().Name}: {e.Message}";
            TestContext.Progress.WriteLine(message);
            await run.RecordDeviceFailureAsync(serial, message, run.Plan.CasesBySerial.GetValueOrDefault(serial) ?? [], CancellationToken.None);
            // NUnit reports every case of this phone as a OneTimeSetUp error: infrastructure, not a verdict.
            throw new InvalidOperationException(message, e);
        }
    }

    [OneTimeTearDown]
    public async Task RestoreAsync()
    {
        if (_session is null) return;
        await _session.RestoreAsync();
        TestContext.Progress.WriteLine(_session.RestoreProblems.Count == 0
            ? $"{serial}: restored (http_proxy cleared, reverse removed)"
            : $"{serial}: restored with problems: {string.Join("; ", _session.RestoreProblems)}");
    }

    [LeakCases]
    public async Task Case(string caseKey)
    {
        var plan = CurrentPlan.Value;
        if (caseKey == ConfigurationCaseKey)
            Assert.Fail(plan.ConfigurationError ?? "devices.json lists no phones");
        var run = LeakSuiteSetUp.Run ?? throw new InvalidOperationException("the leak suite's run was not started (LeakSuiteSetUp did not run)");
        var planned = plan.Find(serial, caseKey) ?? throw new InvalidOperationException($"case {caseKey} is not in the plan of {serial}");
        var session = _session ?? throw new InvalidOperationException($"phone {serial} has no session");
        var ct = TestContext.CurrentContext.CancellationToken;

        TestContext.Progress.WriteLine($"{serial}: start {planned.Case}");
        var result = await run.Runner.RunCaseAsync(session, planned.Case, ct);
        await run.RecordAsync(result, ct);
        TestContext.Progress.WriteLine($"{serial}: {VerdictWord(result.Verdict)} {planned.Case.Scenario.Name} / {planned.Case.Browser.Id} {result.BrowserVersion} / {planned.Case.Mode.Name}: {result.Reason}");
        foreach (var relative in result.EvidenceAttachments)
        {
            var path = Path.Combine(run.Bundle.BundleDirectory, relative);
            if (File.Exists(path)) TestContext.AddTestAttachment(path, relative);
        }
        TestContext.Out.WriteLine(Describe(result));

        switch (result.Verdict)
        {
            case CaseVerdict.Fail:
                Assert.Fail(Describe(result));
                break;
            case CaseVerdict.Inconclusive:
                Assert.Inconclusive($"inconclusive: {result.Reason}" + (result.CoverageGaps.Count == 0 ? "" : "; gaps: " + string.Join("; ", result.CoverageGaps)));
                break;
            case CaseVerdict.NotApplicable:
                Assert.Ignore($"not applicable: {result.Reason}");
                break;
            case CaseVerdict.Pass:
                Assert.Pass(result.Reason);
                break;
        }
    }

    private static string Describe(CaseResult result)
    {
        var text = new StringBuilder();
        text.Append(result.Verdict == CaseVerdict.Fail ? "LEAK: " : result.Verdict.ToString().ToLowerInvariant() + ": ");
        text.Append($"{result.Case.Scenario.Name} with {result.Case.Browser.Name} {result.BrowserVersion} ({result.Case.Mode.Name}) on {result.DeviceModel ?? result.Case.Serial}: {result.Reason}");
        foreach (var f in result.Findings)
            text.Append($"\n  - {CanaryKindNames.ToName(f.CanaryKind)} reached {f.Host} ({DestinationClassNames.ToName(f.Destination)}) in {f.Location}"
                        + (f.DecodeChain.Count > 0 ? $" via {string.Join(" > ", f.DecodeChain)}" : "") + $" [flow {f.FlowId}]");
        foreach (var f in result.DeviceMetadataFindings)
            text.Append($"\n  - device {f.Name} reached {f.Host} in {f.Location} [flow {f.FlowId}]");
        foreach (var gap in result.CoverageGaps) text.Append($"\n  - coverage gap: {gap}");
        return text.ToString();
    }

    private static string VerdictWord(CaseVerdict verdict) => verdict switch
    {
        CaseVerdict.Pass => "pass",
        CaseVerdict.Fail => "LEAK",
        CaseVerdict.Inconclusive => "inconclusive",
        _ => "n/a",
    };

    private static string SafeName(string text) => string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
}
