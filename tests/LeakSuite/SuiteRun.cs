using System.Reflection;
using Harness.Adb;
using Harness.Evidence.Allure;
using Harness.Evidence.Bundles;
using Harness.Evidence.History;
using Harness.Evidence.Records;
using Harness.Evidence.Signing;
using Harness.Proxy.Certificates;
using Harness.Scenarios;

namespace Harness.LeakSuite;

/// <summary>
/// What every phone fixture of one suite run shares: the adb client, the proxy CA, the scenario runner, the evidence
/// bundle, the history run and the Allure results. Created by <see cref="LeakSuiteSetUp"/>, sealed when the run ends.
/// </summary>
public sealed class SuiteRun : IAsyncDisposable
{
    private SuiteRun(RackPlan plan, AdbClient adb, CertificateAuthority ca, EvidenceBundleWriter bundle, HistoryStore history, long historyRunId,
        AllureResultsWriter allure, SuiteResultLog log, ScenarioRunner runner, string runId, DateTimeOffset started)
    {
        Plan = plan;
        Adb = adb;
        CertificateAuthority = ca;
        Bundle = bundle;
        History = history;
        HistoryRunId = historyRunId;
        Allure = allure;
        Log = log;
        Runner = runner;
        RunId = runId;
        Started = started;
    }

    public RackPlan Plan { get; }
    public AdbClient Adb { get; }
    public CertificateAuthority CertificateAuthority { get; }
    public EvidenceBundleWriter Bundle { get; }
    public HistoryStore History { get; }
    public long HistoryRunId { get; }
    public AllureResultsWriter Allure { get; }
    public SuiteResultLog Log { get; }
    public ScenarioRunner Runner { get; }
    public string RunId { get; }
    public DateTimeOffset Started { get; }
    public IReadOnlyList<RecoveryOutcome> Recovered { get; private set; } = [];

    public SuiteSettings Settings => Plan.Settings;
    public string FlowsDirectory => Path.Combine(Settings.OutputDirectory, "flows");

    public static string HarnessVersion =>
        typeof(ScenarioRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static async Task<SuiteRun> StartAsync(RackPlan plan, CancellationToken ct)
    {
        var settings = plan.Settings;
        var output = settings.OutputDirectory;
        Directory.CreateDirectory(output);
        var started = DateTimeOffset.UtcNow;
        var runId = $"suite-{started:yyyyMMddTHHmmssZ}-{Guid.NewGuid().ToString("N")[..6]}";
        var adb = new AdbClient(AdbClientOptions.ForEndpoint(plan.AdbEndpoint));
        var ca = CertificateAuthority.LoadOrCreate(settings.CaDirectory);
        var bundle = await EvidenceBundleWriter.CreateAsync(new EvidenceBundleOptions
        {
            BundleDirectory = Path.Combine(output, "bundle"),
            RunId = runId,
            HarnessVersion = HarnessVersion,
        }, ct).ConfigureAwait(false);
        foreach (var scenario in plan.Scenarios) await bundle.AddScenarioScriptAsync(scenario.SourceFile, ct).ConfigureAwait(false);
        foreach (var profile in plan.Profiles) await bundle.AddBrowserProfileAsync(profile.SourceFile, ct).ConfigureAwait(false);
        var history = await HistoryStore.OpenAsync(settings.HistoryDatabase, ct).ConfigureAwait(false);
        var kind = settings.RunKind == HistoryRunKind.Nightly ? HistoryRunKind.Nightly : HistoryRunKind.Run;
        var historyRunId = await history.StartRunAsync(started, kind, HarnessVersion, ct).ConfigureAwait(false);
        // run.ps1 -Nightly compares this run with the history after the suite.
        await File.WriteAllTextAsync(Path.Combine(output, "history-run-id.txt"), historyRunId.ToString(System.Globalization.CultureInfo.InvariantCulture), ct).ConfigureAwait(false);

        var allure = new AllureResultsWriter(Path.Combine(output, "allure-results"));
        Directory.CreateDirectory(allure.ResultsDirectory);
        await allure.WriteCategoriesAsync(ct).ConfigureAwait(false);
        var runner = new ScenarioRunner(new ScenarioRunOptions
        {
            SettleTime = settings.Settle,
            WorkDirectory = Path.Combine(output, "cases"),
            Evidence = bundle,
            History = history,
            HistoryRunId = historyRunId,
        });
        var run = new SuiteRun(plan, adb, ca, bundle, history, historyRunId, allure, new SuiteResultLog(Path.Combine(output, "suite-results.jsonl")), runner, runId, started);
        run.Recovered = await DeviceSession.RecoverAsync(adb, settings.SessionsDirectory, ct, settingsProfilePath: settings.SettingsProfilePath).ConfigureAwait(false);
        foreach (var recovered in run.Recovered)
            TestContext.Progress.WriteLine($"recovered {recovered.Serial}: {recovered.Detail}");
        return run;
    }

    /// <summary>Allure result and summary line of one finished case (the bundle and history already have it: the runner wrote them).</summary>
    public async Task RecordAsync(CaseResult result, CancellationToken ct)
    {
        var record = CaseRecords.ToRecord(result);
        // Not-applicable cases ran nothing: they have no Allure result (Allure has no such status), only a summary line.
        if (result.Verdict != CaseVerdict.NotApplicable)
            await Allure.WriteCaseAsync(record, Bundle.BundleDirectory, ct).ConfigureAwait(false);
        await Log.AppendAsync(new SuiteResultLine
        {
            Kind = "case",
            Serial = result.Case.Serial,
            Model = result.DeviceModel,
            Browser = result.Case.Browser.Id,
            Package = result.Case.Browser.Package,
            Version = result.BrowserVersion,
            Scenario = result.Case.Scenario.Name,
            Mode = result.Case.Mode.Name,
            Verdict = result.Verdict switch
            {
                CaseVerdict.Pass => "pass",
                CaseVerdict.Fail => "fail",
                CaseVerdict.Inconclusive => "inconclusive",
                _ => "n/a",
            },
            Reason = result.Reason,
            Infrastructure = result.InfrastructureError,
            Findings = record.Findings.Select(f => f.SummaryKey).Distinct(StringComparer.Ordinal).ToList(),
            StartedUtc = result.StartedUtc,
            StoppedUtc = result.StoppedUtc,
        }, ct).ConfigureAwait(false);
    }

    /// <summary>A phone that could not be prepared: every planned case of it becomes a broken Allure result, plus one summary line.</summary>
    public async Task RecordDeviceFailureAsync(string serial, string message, IReadOnlyList<PlannedCase> cases, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var planned in cases)
        {
            await Allure.WriteCaseAsync(new CaseRecord
            {
                CaseId = planned.Key,
                Scenario = planned.Case.Scenario.Name,
                BrowserPackage = planned.Case.Browser.Package,
                DeviceSerial = serial,
                Mode = planned.Case.Mode.Name == "default" ? "" : planned.Case.Mode.Name,
                Verdict = CaseVerdicts.Inconclusive,
                Reason = "the phone could not be prepared",
                InfrastructureError = message,
                StartedUtc = now,
                StoppedUtc = now,
            }, null, ct).ConfigureAwait(false);
        }
        await Log.AppendAsync(new SuiteResultLine { Kind = "device", Serial = serial, Reason = message, Infrastructure = message, StartedUtc = now, StoppedUtc = now }, ct).ConfigureAwait(false);
    }

    /// <summary>Ends the history run, writes environment/executor, and seals (signs) the evidence bundle.</summary>
    public async ValueTask DisposeAsync()
    {
        var ct = CancellationToken.None;
        try
        {
            await History.EndRunAsync(HistoryRunId, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
            await Allure.WriteEnvironmentAsync(new Dictionary<string, string>
            {
                ["harness.version"] = HarnessVersion,
                ["run.id"] = RunId,
                ["run.kind"] = Settings.RunKind,
                ["rack"] = Settings.DevicesFile,
                ["phones"] = string.Join(", ", Plan.Serials),
                ["adb"] = Plan.AdbEndpoint,
                ["scenarios"] = string.Join(", ", Plan.Scenarios.Select(s => s.Name)),
                ["settle"] = Settings.Settle is { } settle ? $"{settle.TotalSeconds:0.##} s (override)" : "profile default",
                ["evidence.bundle"] = Bundle.BundleDirectory,
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                ["dotnet"] = Environment.Version.ToString(),
            }, ct).ConfigureAwait(false);
            await Allure.WriteExecutorAsync(new AllureExecutor
            {
                Name = "run.ps1 (NUnit leak suite)",
                Type = "harness",
                BuildOrder = HistoryRunId,
                BuildName = RunId,
                ReportName = "Browser leak suite",
            }, ct).ConfigureAwait(false);
            using var key = await new SigningKeyStore(Settings.SigningKeyDirectory ?? SigningKeyStore.DefaultDirectory).LoadOrCreateAsync(ct).ConfigureAwait(false);
            var sealedBundle = await Bundle.SealAsync(key, ct).ConfigureAwait(false);
            TestContext.Progress.WriteLine($"evidence: {sealedBundle.BundleDirectory} (signed, key {sealedBundle.SigningKeyFingerprint})");
        }
        finally
        {
            await History.DisposeAsync().ConfigureAwait(false);
            CertificateAuthority.Dispose();
        }
    }
}
