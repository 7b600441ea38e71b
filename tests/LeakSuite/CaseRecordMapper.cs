using Harness.Evidence.Records;
using Harness.Leaks;
using Harness.Scenarios;

namespace Harness.LeakSuite;

/// <summary>A runner result as the evidence layer records it (what AllureResultsWriter reads).</summary>
public static class CaseRecordMapper
{
    public static CaseRecord ToRecord(CaseResult result) => new()
    {
        CaseId = result.Case.Id,
        Scenario = result.Case.Scenario.Name,
        BrowserPackage = result.Case.Browser.Package,
        BrowserVersion = result.BrowserVersion,
        DeviceSerial = result.Case.Serial,
        DeviceModel = result.DeviceModel,
        Mode = result.Case.Mode.Name == "default" ? "" : result.Case.Mode.Name,
        Verdict = result.Verdict switch
        {
            CaseVerdict.Pass => CaseVerdicts.Pass,
            CaseVerdict.Fail => CaseVerdicts.Fail,
            _ => CaseVerdicts.Inconclusive,
        },
        Reason = result.Verdict == CaseVerdict.NotApplicable ? "not applicable: " + result.Reason : result.Reason,
        InfrastructureError = result.InfrastructureError,
        Findings = result.Findings.Select(f => new FindingRecord
        {
            FlowId = f.FlowId,
            Host = f.Host,
            Destination = DestinationClassNames.ToName(f.Destination),
            CanaryKind = CanaryKindNames.ToName(f.CanaryKind),
            Location = f.Location,
            DecodeChain = f.DecodeChain,
            Excerpt = f.Excerpt,
        }).Concat(result.DeviceMetadataFindings.Select(f => new FindingRecord
        {
            FlowId = f.FlowId,
            Host = f.Host,
            CanaryKind = "device-" + f.Name,
            Location = f.Location,
            DecodeChain = f.DecodeChain,
            Excerpt = f.Excerpt,
        })).ToList(),
        CoverageGaps = [.. result.CoverageGaps, .. result.CoverageLimits.Select(l => "limit: " + l)],
        StartedUtc = result.StartedUtc,
        StoppedUtc = result.StoppedUtc,
        // Relative to the evidence bundle: the Allure writer copies them from there.
        Attachments = result.EvidenceAttachments,
        Steps = result.Steps.Select(s => new CaseStepRecord { Name = s.Name, Status = s.Status, StartedUtc = s.StartedUtc, StoppedUtc = s.StoppedUtc, Message = s.Message }).ToList(),
    };
}
