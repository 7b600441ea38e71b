using System.Text;
using Harness.Leaks;
using Harness.Scenarios;

namespace Harness.LeakSuite;

/// <summary>
/// One phone of the rack. Fixtures run in parallel (one per phone); the cases inside run one at a time, on a session
/// prepared once through the run's <see cref="RackRun"/> (CA, proxy, adb reverse, http_proxy, device facts) and
/// restored in the one-time teardown whatever happened. A thin adapter: the run does the work and the reporting.
/// </summary>
[TestFixtureSource(typeof(PhoneFixture), nameof(Phones))]
[Parallelizable(ParallelScope.Self)]
[Category(LeakSuiteCategories.Suite)]
public sealed class PhoneFixture(string serial)
{
    /// <summary>The argument of the single test a broken configuration produces.</summary>
    public const string ConfigurationCaseKey = "(configuration)";

    private RackPhone? _phone;

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

    /// <summary>Prepares the phone through the run (a phone that cannot be prepared is reported there and fails every case here as a one-time-setup error).</summary>
    [OneTimeSetUp]
    public async Task PrepareAsync()
    {
        var run = LeakSuiteSetUp.Run;
        if (run is null || serial == ConfigurationCaseKey) return;
        var planned = CurrentPlan.Value.CasesBySerial.GetValueOrDefault(serial) ?? [];
        _phone = await run.PreparePhoneAsync(serial, planned.Select(p => p.Case).ToList(), TestContext.CurrentContext.CancellationToken);
    }

    [OneTimeTearDown]
    public async Task RestoreAsync()
    {
        if (_phone is not null) await _phone.RestoreAsync();
    }

    [LeakCases]
    public async Task Case(string caseKey)
    {
        var plan = CurrentPlan.Value;
        if (caseKey == ConfigurationCaseKey)
            Assert.Fail(plan.ConfigurationError ?? "devices.json lists no phones");
        var run = LeakSuiteSetUp.Run ?? throw new InvalidOperationException("the leak suite's run was not started (LeakSuiteSetUp did not run)");
        var planned = plan.Find(serial, caseKey) ?? throw new InvalidOperationException($"case {caseKey} is not in the plan of {serial}");
        var phone = _phone ?? throw new InvalidOperationException($"phone {serial} was not prepared");

        var result = await phone.RunCaseAsync(planned.Case, TestContext.CurrentContext.CancellationToken);
        foreach (var relative in result.EvidenceAttachments)
        {
            var path = Path.Combine(run.BundleDirectory, relative);
            if (File.Exists(path)) TestContext.AddTestAttachment(path, relative);
        }
        TestContext.Out.WriteLine(Describe(result));

        switch (result.Verdict)
        {
            case CaseVerdict.Fail:
                Assert.Fail(Describe(result));
                break;
            case CaseVerdict.Inconclusive:
                Assert.Inconclusive($"{CaseVerdictNames.Phrase(result.Verdict)}: {result.Reason}" + (result.CoverageGaps.Count == 0 ? "" : "; gaps: " + string.Join("; ", result.CoverageGaps)));
                break;
            case CaseVerdict.NotApplicable:
                Assert.Ignore($"{CaseVerdictNames.Phrase(result.Verdict)}: {result.Reason}");
                break;
            case CaseVerdict.Pass:
                Assert.Pass(result.Reason);
                break;
        }
    }

    private static string Describe(CaseResult result)
    {
        var text = new StringBuilder();
        text.Append(CaseVerdictNames.Phrase(result.Verdict) + ": ");
        text.Append($"{result.Case.Scenario.Name} with {result.Case.Browser.Name} {result.BrowserVersion} ({result.Case.Mode.Name}) on {result.DeviceModel ?? result.Case.Serial}: {result.Reason}");
        foreach (var f in result.Findings)
            text.Append($"\n  - {CanaryKindNames.ToName(f.CanaryKind)} reached {f.Host} ({DestinationClassNames.ToName(f.Destination)}) in {f.Location}"
                        + (f.DecodeChain.Count > 0 ? $" via {string.Join(" > ", f.DecodeChain)}" : "") + $" [flow {f.FlowId}]");
        foreach (var f in result.DeviceMetadataFindings)
            text.Append($"\n  - device {f.Name} reached {f.Host} in {f.Location} [flow {f.FlowId}]");
        foreach (var gap in result.CoverageGaps) text.Append($"\n  - coverage gap: {gap}");
        return text.ToString();
    }
}
