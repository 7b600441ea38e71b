using Harness.Evidence.Allure;
using Harness.Evidence.Records;

namespace Harness.Scenarios;

/// <summary>
/// Writes Allure 2 results into &lt;out&gt;/allure-results: one per judged case (attachments from the bundle), a broken
/// one per planned case of a phone that could not run, and environment.properties, executor.json, categories.json.
/// </summary>
/// <param name="executorName">Who ran it, as the report's executor shows (run.ps1's suite, harness run …).</param>
public sealed class AllureResultsSink(string executorName) : IRackRunSink
{
    private AllureResultsWriter? _writer;

    public const string FolderName = "allure-results";

    private AllureResultsWriter Writer => _writer ?? throw new InvalidOperationException("the run has not started");

    public async Task RunStartedAsync(RackRunInfo run, CancellationToken ct)
    {
        _writer = new AllureResultsWriter(Path.Combine(run.Options.OutputDirectory, FolderName));
        Directory.CreateDirectory(_writer.ResultsDirectory);
        await _writer.WriteCategoriesAsync(ct).ConfigureAwait(false);
    }

    public async Task PhoneEventAsync(RackRunInfo run, RackProgress progress, CancellationToken ct)
    {
        switch (progress.Kind)
        {
            // Not-applicable cases ran nothing: they have no Allure result (Allure has no such status), only a summary line.
            case RackProgressKind.CaseFinished when progress.Result!.Verdict != CaseVerdict.NotApplicable:
                await Writer.WriteCaseAsync(CaseRecords.ToRecord(progress.Result), run.BundleDirectory, ct).ConfigureAwait(false);
                break;
            case RackProgressKind.DeviceFailed:
                var now = run.Options.TimeProvider.GetUtcNow();
                foreach (var planned in progress.Cases ?? [])
                {
                    await Writer.WriteCaseAsync(new CaseRecord
                    {
                        CaseId = planned.Id,
                        Scenario = planned.Scenario.Name,
                        BrowserPackage = planned.Browser.Package,
                        DeviceSerial = planned.Serial,
                        Mode = planned.Mode.Name == "default" ? "" : planned.Mode.Name,
                        Verdict = CaseVerdicts.Inconclusive,
                        Reason = "the phone could not run this case",
                        InfrastructureError = $"phone {planned.Serial} {progress.Message}",
                        StartedUtc = now,
                        StoppedUtc = now,
                    }, null, ct).ConfigureAwait(false);
                }
                break;
        }
    }

    public async Task RunFinishedAsync(RackRunInfo run, RackRunResult result, CancellationToken ct)
    {
        var options = run.Options;
        await Writer.WriteEnvironmentAsync(new Dictionary<string, string>
        {
            ["harness.version"] = options.HarnessVersion,
            ["run.id"] = run.RunId,
            ["run.kind"] = options.RunKind,
            ["rack"] = options.DevicesFile ?? "",
            ["phones"] = string.Join(", ", options.Serials),
            ["adb"] = options.AdbEndpoint,
            ["scenarios"] = string.Join(", ", options.Scenarios.Select(s => s.Name)),
            ["upstream"] = options.Settings.Describe(),
            ["settle"] = options.Settle is { } settle ? $"{settle.TotalSeconds:0.##} s (override)" : "profile default",
            ["evidence.bundle"] = run.BundleDirectory,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["dotnet"] = Environment.Version.ToString(),
        }, ct).ConfigureAwait(false);
        await Writer.WriteExecutorAsync(new AllureExecutor
        {
            Name = executorName,
            Type = "harness",
            BuildOrder = run.HistoryRunId,
            BuildName = run.RunId,
            ReportName = options.RunKind == Evidence.History.HistoryRunKind.Nightly ? "Nightly browser regression" : "Browser leak suite",
        }, ct).ConfigureAwait(false);
    }
}
