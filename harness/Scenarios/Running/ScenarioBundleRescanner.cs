using Harness.Evidence.Bundles;
using Harness.Evidence.Records;
using Harness.Evidence.Verification;
using Harness.Flows;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>
/// Re-judges every case of a bundle from the bundle alone (its HAR, canaries and expectations.json) with the same
/// <see cref="CaseJudge"/> the run used: no phone, no network.
/// </summary>
public sealed class ScenarioBundleRescanner : IBundleRescanner
{
    private readonly CanaryScanner _scanner = new();

    public async Task<IReadOnlyList<CaseRecord>> RescanAsync(BundleContents bundle, CancellationToken ct)
    {
        var records = new List<CaseRecord>();
        foreach (var bundled in bundle.Cases)
        {
            if (bundled.ExpectationsPath is null) continue; // the verifier reports a case it could not re-scan
            var judge = CaseJudgeRecord.Parse(await bundle.ReadAllBytesAsync(bundled.ExpectationsPath, ct), bundled.ExpectationsPath);
            var record = new CaseRecord
            {
                CaseId = bundled.Record.CaseId,
                Scenario = judge.Scenario,
                BrowserPackage = bundled.Record.BrowserPackage,
                Verdict = judge.Verdict,
            };
            // A case that broke off before its scan (a step, the device) has no scan to repeat: its canaries may not even exist.
            if (judge.Judged)
            {
                if (bundled.HarPath is null || bundled.CanariesPath is null) continue;
                List<Flow> flows;
                using (var har = new MemoryStream(await bundle.ReadAllBytesAsync(bundled.HarPath, ct)))
                    flows = HarReader.Read(har, bundled.HarPath);
                var canaries = CanaryFileReader.Parse(await bundle.ReadAllBytesAsync(bundled.CanariesPath, ct), bundled.CanariesPath);
                var judged = judge.Differential.Count > 0
                    ? CaseJudge.JudgeDifferential(_scanner, judge.ToDifferentialInputs(flows, bundled.ExpectationsPath))
                    : CaseJudge.Judge(_scanner, judge.ToInput(flows, canaries, bundled.ExpectationsPath));
                record = record with
                {
                    Verdict = CaseRecords.ToRecordVerdict(judged.Verdict),
                    Findings = CaseRecords.ToFindingRecords(judged.Scan.Findings, judged.Scan.DeviceMetadataFindings),
                };
            }
            records.Add(record);
        }
        return records;
    }
}
