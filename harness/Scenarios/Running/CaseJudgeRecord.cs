using System.Net;
using System.Text.Json;
using Harness.Browsers;
using Harness.Core;
using Harness.Flows;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>
/// A case's expectations.json: what its verdict was judged from besides the HAR and the canaries (the scenario's
/// expectations, vendor list, device identifiers, connections seen outside the proxy, blind spots), so the bundle alone
/// reproduces the verdict.
/// </summary>
public sealed record CaseJudgeRecord
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public required string Scenario { get; init; }
    public string? Claim { get; init; }
    /// <summary>False when the case broke off before its scan; then <see cref="Verdict"/> is what the run recorded and is not re-judged.</summary>
    public bool Judged { get; init; }
    public required string Verdict { get; init; }
    public List<CaseJudgeExpectation> Expectations { get; init; } = [];
    public List<string> VendorSuffixes { get; init; } = [];
    public List<string> IntendedHosts { get; init; } = [];
    public Dictionary<string, string> DeviceMetadata { get; init; } = [];
    public List<CaseJudgeConnection> UnaccountedConnections { get; init; } = [];
    public string? BlindSpot { get; init; }
    /// <summary>The telemetry uploads (host/path) the case had to see after <see cref="LastBrowsingStepUtc"/>; absent in bundles before the heartbeat rule.</summary>
    public List<string> TelemetryEndpoints { get; init; } = [];
    public DateTimeOffset? LastBrowsingStepUtc { get; init; }
    /// <summary>The runs of a differential case (<c>differential: N</c>); empty for a case run once.</summary>
    public List<DifferentialRunRecord> Differential { get; init; } = [];
    /// <summary>The table of opaque request sizes per run the differential verdict rests on, for a reader.</summary>
    public List<string> DifferentialTable { get; init; } = [];

    public static CaseJudgeRecord From(CaseResult result, IReadOnlyList<string> vendorSuffixes)
    {
        var scenario = result.Case.Scenario;
        return new CaseJudgeRecord
        {
            Scenario = scenario.Name,
            Claim = scenario.Claim,
            Judged = result.Judged,
            Verdict = CaseRecords.ToRecordVerdict(result.Verdict),
            Expectations = scenario.Expectations.Select(e => new CaseJudgeExpectation(
                e.Name, e.Kinds.Select(CanaryKindNames.ToName).ToList(), e.To.Select(DestinationClassNames.ToName).ToList(), e.AllowHosts.ToList())).ToList(),
            VendorSuffixes = vendorSuffixes.ToList(),
            IntendedHosts = (result.Canaries?.IntendedHosts ?? []).Concat(scenario.Expectations.SelectMany(e => e.AllowHosts)).Distinct().ToList(),
            DeviceMetadata = result.DeviceMetadata.ToDictionary(),
            UnaccountedConnections = result.UnaccountedConnections.Select(CaseJudgeConnection.From).ToList(),
            BlindSpot = result.BlindSpot,
            TelemetryEndpoints = result.TelemetryEndpoints.Select(e => e.ToString()).ToList(),
            LastBrowsingStepUtc = result.LastBrowsingStepUtc,
            Differential = result.DifferentialRuns.Select(DifferentialRunRecord.From).ToList(),
            DifferentialTable = result.DifferentialTable.ToList(),
        };
    }

    public static CaseJudgeRecord Parse(byte[] json, string file)
    {
        try
        {
            return JsonSerializer.Deserialize<CaseJudgeRecord>(json, JsonOptions) ?? throw new BadInputException("expected a JSON object", file, 1, 1);
        }
        catch (JsonException e)
        {
            throw new BadInputException(e.Message, file, (int?)e.LineNumber + 1, (int?)e.BytePositionInLine + 1, e.Path, e);
        }
    }

    /// <summary>The judge's input for this case over the given flows and canaries.</summary>
    public CaseJudgeInput ToInput(IReadOnlyList<Flow> flows, CanarySet canaries, string file) =>
        Input(flows, canaries, UnaccountedConnections, BlindSpot, LastBrowsingStepUtc, file, "");

    /// <summary>Each run of a differential case with its input: the flows tagged with its label, its canaries, its own record.</summary>
    public IReadOnlyList<DifferentialRunInput> ToDifferentialInputs(IReadOnlyList<Flow> flows, string file) =>
        Differential.Select((run, i) => new DifferentialRunInput(run.ToRun(), Input(
            flows.Where(f => f.Tags.GetValueOrDefault(DifferentialAnalyzer.RunTag) == run.Label).ToList(), run.ReadCanaries(file),
            run.UnaccountedConnections, run.BlindSpot, run.LastBrowsingStepUtc, file, $"differential[{i}]."))).ToList();

    private CaseJudgeInput Input(IReadOnlyList<Flow> flows, CanarySet canaries, List<CaseJudgeConnection> unaccounted, string? blindSpot,
        DateTimeOffset? lastBrowsingStep, string file, string prefix) => new()
    {
        Flows = flows,
        Canaries = canaries,
        Expectations = Expectations.Select((e, i) => e.ToExpectation(file, $"expectations[{i}]")).ToList(),
        VendorSuffixes = VendorSuffixes,
        DeviceMetadata = DeviceMetadata,
        UnaccountedConnections = unaccounted.Select((c, i) => c.ToConnection(file, $"{prefix}unaccountedConnections[{i}]")).ToList(),
        BlindSpot = blindSpot,
        TelemetryEndpoints = TelemetryEndpoints.Select((t, i) => TelemetryEndpoint.TryParse(t)
            ?? throw new BadInputException($"\"{t}\" is not a telemetry endpoint (host or host/path)", file, field: $"telemetryEndpoints[{i}]")).ToList(),
        LastBrowsingStepUtc = lastBrowsingStep,
    };
}
