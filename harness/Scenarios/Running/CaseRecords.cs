using Harness.Evidence.Records;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>A runner result as the evidence layer records it (bundle, history, Allure).</summary>
public static class CaseRecords
{
    public static CaseRecord ToRecord(CaseResult result) => new()
    {
        CaseId = result.Case.Id,
        Scenario = result.Case.Scenario.Name,
        BrowserPackage = result.Case.Browser.Package,
        BrowserVersion = result.BrowserVersion,
        DeviceSerial = result.Case.Serial,
        DeviceModel = result.DeviceModel,
        Upstream = result.Upstream,
        Mode = result.Case.Mode.Name == "default" ? "" : result.Case.Mode.Name,
        Verdict = ToRecordVerdict(result.Verdict),
        Reason = result.Verdict == CaseVerdict.NotApplicable ? $"{CaseVerdictNames.Phrase(result.Verdict)}: {result.Reason}" : result.Reason,
        InfrastructureError = result.InfrastructureError,
        Findings = ToFindingRecords(result.Findings, result.DeviceMetadataFindings),
        CoverageGaps = [.. result.CoverageGaps, .. result.CoverageLimits.Select(l => "limit: " + l)],
        StartedUtc = result.StartedUtc,
        StoppedUtc = result.StoppedUtc,
        // Relative to the evidence bundle, once the case is in one.
        Attachments = result.EvidenceAttachments,
        Steps = result.Steps.Select(s => new CaseStepRecord { Name = s.Name, Status = s.Status, StartedUtc = s.StartedUtc, StoppedUtc = s.StoppedUtc, Message = s.Message }).ToList(),
    };

    /// <summary>A record holds pass, fail or inconclusive: a case that ran nothing has no record, so never n/a.</summary>
    public static string ToRecordVerdict(CaseVerdict verdict) =>
        verdict == CaseVerdict.NotApplicable ? CaseVerdicts.Inconclusive : CaseVerdictNames.Token(verdict);

    /// <summary>Findings as the bundle records them; device identifiers count as findings of kind device-NAME.</summary>
    public static List<FindingRecord> ToFindingRecords(IEnumerable<Finding> findings, IEnumerable<DeviceMetadataFinding> metadataFindings) =>
        findings.Select(f => new FindingRecord
        {
            FlowId = f.FlowId,
            Host = f.Host,
            Destination = DestinationClassNames.ToName(f.Destination),
            CanaryKind = CanaryKindNames.ToName(f.CanaryKind),
            Location = f.Location,
            DecodeChain = f.DecodeChain,
            Excerpt = f.Excerpt,
        }).Concat(metadataFindings.Select(f => new FindingRecord
        {
            FlowId = f.FlowId,
            Host = f.Host,
            CanaryKind = "device-" + f.Name,
            Location = f.Location,
            DecodeChain = f.DecodeChain,
            Excerpt = f.Excerpt,
        })).ToList();
}
