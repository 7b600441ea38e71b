using System.Text;
using System.Text.Json;
using Harness.Evidence.Records;
using Harness.Flows;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>
/// Stages a finished case's files (HAR of its window, canaries, expectations, screenshots, UI dumps, logcat) and
/// hands them to the evidence bundle and the history database as soon as the case completes, so a killed run keeps
/// every case it finished. Writes are serialised: phones finish cases concurrently.
/// </summary>
internal sealed class CaseEvidenceWriter(ScenarioRunOptions options)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<CaseResult> WriteAsync(CaseResult result, CancellationToken ct)
    {
        // Not-applicable cases ran nothing: there is no evidence, and the record's verdicts have no such state.
        if (options.Evidence is null && options.History is null || result.Verdict == CaseVerdict.NotApplicable) return result;
        var record = CaseRecords.ToRecord(result);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (options.Evidence is { } bundle)
            {
                var folder = Path.Combine(options.WorkDirectory, result.Case.Id);
                Directory.CreateDirectory(folder);
                var har = Path.Combine(folder, "flows.har");
                HarWriter.WriteFile(result.Flows, har);
                string? canaries = null;
                if (result.Canaries is { } set)
                {
                    canaries = Path.Combine(folder, "canaries.json");
                    await File.WriteAllTextAsync(canaries, set.ToJson(), ct).ConfigureAwait(false);
                }
                var expectations = Path.Combine(folder, "expectations.json");
                await File.WriteAllBytesAsync(expectations, ExpectationsJson(result, result.VendorSuffixes ?? options.VendorSuffixes ?? DestinationClassifier.DefaultVendorSuffixes), ct).ConfigureAwait(false);
                var screenshots = await StageAsync(folder, "screenshots", result.Screenshots, ct).ConfigureAwait(false);
                var dumps = await StageAsync(folder, "ui", result.UiDumps, ct).ConfigureAwait(false);
                string? logcat = null;
                if (result.Logcat is { } text)
                {
                    logcat = Path.Combine(folder, "logcat.txt");
                    await File.WriteAllTextAsync(logcat, text, ct).ConfigureAwait(false);
                }
                // The proxy masked secrets before storing these flows: the bundle lists where (redactions.json).
                bundle.AddCaptureRedactions(result.Flows.SelectMany((flow, index) => flow.Tags.TryGetValue(Proxy.FlowSecretMasker.TagName, out var masked)
                    ? masked.Split(',').Select(where => new Harness.Evidence.Redaction.RedactionEntry(
                        $"{Harness.Evidence.Bundles.BundleLayout.CaseFolder(result.Case.Id)}/{Harness.Evidence.Bundles.BundleLayout.CaseHarFile}", index, where, "masked at capture"))
                    : []));
                var stored = await bundle.AddCaseAsync(new CaseEvidence
                {
                    Record = record,
                    HarPath = har,
                    CanariesPath = canaries,
                    ExpectationsPath = expectations,
                    Screenshots = screenshots,
                    UiDumps = dumps,
                    LogcatPath = logcat,
                }, ct).ConfigureAwait(false);
                result = result with { EvidenceAttachments = stored.Attachments };
                // The bundle holds the copies now; staging them twice would double a long run's disk use.
                Directory.Delete(folder, recursive: true);
            }
            if (options.History is { } history)
                await history.RecordCaseAsync(options.HistoryRunId, record, ct).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The phone as the run found it (getprop, browser versions, root), once per phone.</summary>
    public async Task WriteDeviceFactsAsync(DeviceSession session, IReadOnlyDictionary<string, string> packageVersions, IReadOnlyDictionary<string, string> packageSignatures, CancellationToken ct,
        string? tunnel = null)
    {
        if (options.Evidence is not { } bundle) return;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await bundle.AddDeviceFactsAsync(new DeviceFacts
            {
                Serial = session.Serial,
                Model = session.Model,
                GetpropSnapshot = string.Concat(session.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"[{p.Key}]: [{p.Value}]\n")),
                PackageVersions = packageVersions,
                PackageSignatures = packageSignatures,
                RootState = session.Root is { } root ? $"rooted ({root.Probe})" : "not rooted",
                CaTrust = session.CaInSystemStore ? "system store"
                    : session.CaInUserStore ? "user store (installed through Settings)"
                    : $"none ({session.UserCaProblem ?? "CA installation switched off"})",
                CoverageLimits = session.CoverageLimits.ToList(),
                Upstream = session.Settings.Describe(),
                QuicBlock = session.QuicBlockFact,
                PrivateDns = session.PrivateDnsFact,
                SocketTables = session.SocketTablesFact,
                Identifiers = session.IdentifiersFact,
                AdbTunnel = tunnel,
            }, ct).ConfigureAwait(false);
            // The Settings step that did not hold while installing the user CA: what the phone showed, for a reviewer.
            if (session.UserCaFailedStep is { } failed)
            {
                if (failed.ScreenshotPng is { } png) await bundle.AddDeviceFileAsync(session.Serial, "user-ca-failed-step.png", png, ct).ConfigureAwait(false);
                if (failed.UiDumpXml is { } dump) await bundle.AddDeviceFileAsync(session.Serial, "user-ca-failed-step.xml", Encoding.UTF8.GetBytes(dump), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Everything the verdict was judged from besides the HAR and canaries, so `harness verify` can judge it again.</summary>
    internal static byte[] ExpectationsJson(CaseResult result, IReadOnlyList<string> vendorSuffixes) =>
        JsonSerializer.SerializeToUtf8Bytes(CaseJudgeRecord.From(result, vendorSuffixes), CaseJudgeRecord.JsonOptions);

    private static async Task<IReadOnlyList<string>> StageAsync(string folder, string sub, IReadOnlyList<CaseAttachment> attachments, CancellationToken ct)
    {
        if (attachments.Count == 0) return [];
        var directory = Path.Combine(folder, sub);
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var a in attachments)
        {
            var path = Path.Combine(directory, a.FileName);
            await File.WriteAllBytesAsync(path, a.Content, ct).ConfigureAwait(false);
            paths.Add(path);
        }
        return paths;
    }
}
