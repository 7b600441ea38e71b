using System.Text;
using System.Text.Json;

namespace Harness.Scenarios;

/// <summary>
/// Writes &lt;out&gt;/suite-results.jsonl (<see cref="RunResultLine"/>), flushed line by line so a killed run keeps
/// what finished.
/// </summary>
public sealed class SuiteResultsSink : IRackRunSink
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private string _path = "";

    public async Task RunStartedAsync(RackRunInfo run, CancellationToken ct)
    {
        _path = Path.Combine(run.Options.OutputDirectory, RunResultLine.FileName);
        await File.WriteAllTextAsync(_path, "", Utf8NoBom, ct).ConfigureAwait(false);
    }

    public Task PhoneEventAsync(RackRunInfo run, RackProgress progress, CancellationToken ct)
    {
        var now = run.Options.TimeProvider.GetUtcNow();
        return progress.Kind switch
        {
            RackProgressKind.CaseFinished => AppendAsync(CaseLine(progress.Result!), ct),
            RackProgressKind.DeviceFailed => AppendAsync(DeviceLine(progress.Serial, progress.Message ?? "failed", now), ct),
            RackProgressKind.DeviceRestored when progress.Message is { } problems => AppendAsync(DeviceLine(progress.Serial, "restore incomplete: " + problems, now), ct),
            _ => Task.CompletedTask,
        };
    }

    public Task RunFinishedAsync(RackRunInfo run, RackRunResult result, CancellationToken ct) =>
        AppendAsync(new RunResultLine
        {
            Kind = RunResultLine.RunKind,
            Reason = $"{run.Options.RunKind} {run.RunId} finished",
            Shard = run.Options.Shard?.ToString(),
            StartedUtc = run.StartedUtc,
            StoppedUtc = run.Options.TimeProvider.GetUtcNow(),
        }, ct);

    public static RunResultLine CaseLine(CaseResult result) => new()
    {
        Kind = RunResultLine.CaseKind,
        Serial = result.Case.Serial,
        Model = result.DeviceModel,
        Browser = result.Case.Browser.Id,
        Package = result.Case.Browser.Package,
        Version = result.BrowserVersion,
        Scenario = result.Case.Scenario.Name,
        Mode = result.Case.Mode.Name,
        Verdict = CaseVerdictNames.Token(result.Verdict),
        Reason = result.Reason,
        Infrastructure = result.InfrastructureError,
        Findings = CaseRecords.ToFindingRecords(result.Findings, result.DeviceMetadataFindings).Select(f => f.SummaryKey).Distinct(StringComparer.Ordinal).ToList(),
        StartedUtc = result.StartedUtc,
        StoppedUtc = result.StoppedUtc,
    };

    private static RunResultLine DeviceLine(string serial, string message, DateTimeOffset now) =>
        new() { Kind = RunResultLine.DeviceKind, Serial = serial, Reason = message, Infrastructure = message, StartedUtc = now, StoppedUtc = now };

    private Task AppendAsync(RunResultLine line, CancellationToken ct) =>
        File.AppendAllTextAsync(_path, JsonSerializer.Serialize(line, RunResultLine.Json) + "\n", Utf8NoBom, ct);
}
