using Harness.Flows;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>
/// Turns a case's flows and a scenario's expectations into a verdict. One place, so that `harness verify` re-scanning
/// a bundle reaches its verdicts exactly as the run did.
/// </summary>
public static class CaseJudge
{
    public static CaseJudgement Judge(CanaryScanner scanner, CaseJudgeInput input)
    {
        var expectations = input.Expectations;
        var allowHosts = expectations.SelectMany(e => e.AllowHosts).Distinct().ToList();
        var destinations = new DestinationClassifier([.. input.Canaries.IntendedHosts, .. allowHosts], input.VendorSuffixes);
        var leakExpectations = new List<ScanExpectation>();
        foreach (var e in expectations)
        {
            switch (e.Kind)
            {
                case ScenarioExpectationKind.NoLeak: leakExpectations.Add(new NoLeakExpectation(e.Kinds, e.To)); break;
                case ScenarioExpectationKind.LeakExpected: leakExpectations.Add(new LeakExpectedExpectation(e.Kinds, e.To)); break;
                case ScenarioExpectationKind.NoLinkableId: leakExpectations.Add(new NoLinkableIdExpectation()); break;
            }
        }
        var metadataExpectations = expectations.Where(e => e.Kind == ScenarioExpectationKind.NoDeviceMetadata).ToList();
        var request = new ScanRequest
        {
            Canaries = input.Canaries,
            Destinations = destinations,
            // Only metadata expectations: judge them alone (an empty list would mean "no leak anywhere").
            Expectations = leakExpectations.Count > 0 ? leakExpectations : [new NoLeakExpectation([CanaryKind.Url], [DestinationClass.Vendor])],
            UnaccountedConnections = input.UnaccountedConnections,
            DeviceMetadata = metadataExpectations.Count > 0 ? input.DeviceMetadata : new Dictionary<string, string>(),
            SessionTag = input.SessionTag,
            ClearOpaquePayload = input.ClearOpaquePayload,
        };
        var scan = scanner.Scan(input.Flows, request);
        var outcomes = leakExpectations.Count > 0 ? scan.Expectations.Select(o => (o.Expectation.Name, o.Verdict, o.Reason)).ToList() : [];
        var gaps = scan.Coverage.Gaps.Select(g => $"{g.Kind} {g.Host}: {g.Detail}").ToList();
        if (input.BlindSpot is { } blind) gaps.Add(blind);
        var inUserAgent = InEveryUserAgent(input);
        foreach (var e in metadataExpectations)
        {
            var all = scan.DeviceMetadataFindings.Where(f => e.To.Contains(destinations.Classify(f.Host))).ToList();
            // The model is in the User-Agent every app sends (Dalvik's own): reported, but not this browser's leak.
            var hits = all.Where(f => !inUserAgent.Contains(IdentifierOf(f.Name))).ToList();
            var note = all.Count > hits.Count
                ? "; " + string.Join(", ", all.Except(hits).Select(f => IdentifierOf(f.Name)).Distinct().Select(n => $"{n} ({input.DeviceMetadata[n]})")) + " sent too, but in every app's User-Agent: not counted"
                : "";
            outcomes.Add(hits.Count > 0
                ? ("no-device-metadata", Verdict.Fail, $"{hits.Count} device identifier(s) sent, first: {hits[0].Name} to {hits[0].Host} at {hits[0].Location}{note}")
                : gaps.Count > 0
                    ? ("no-device-metadata", Verdict.Inconclusive, $"no device identifier seen, but {gaps.Count} coverage gap(s){note}")
                    : ("no-device-metadata", Verdict.Pass, $"no device identifier seen and coverage complete{note}"));
        }
        if (input.BlindSpot is { } spot)
            outcomes = outcomes.Select(o => o.Verdict == Verdict.Pass ? (o.Name, Verdict.Inconclusive, o.Reason + "; but " + spot) : o).ToList();
        if (Heartbeat(input) is { } heartbeat) outcomes.Add(heartbeat);
        var verdict = outcomes.Any(o => o.Verdict == Verdict.Fail) ? CaseVerdict.Fail
            : outcomes.Any(o => o.Verdict == Verdict.Inconclusive) ? CaseVerdict.Inconclusive
            : CaseVerdict.Pass;
        var decisive = outcomes.FirstOrDefault(o => o.Verdict == (verdict switch { CaseVerdict.Fail => Verdict.Fail, CaseVerdict.Inconclusive => Verdict.Inconclusive, _ => Verdict.Pass }));
        return new CaseJudgement(verdict, $"{decisive.Name}: {decisive.Reason}", scan, gaps,
            outcomes.Select(o => $"{o.Name}: {o.Verdict.ToString().ToLowerInvariant()}: {o.Reason}").ToList());
    }

    /// <summary>
    /// A differential case: every run judged as a case of its own, then the opaque requests aligned across the runs
    /// (<see cref="DifferentialAnalyzer"/>). One that follows the input fails the case ("opaque payload correlated with
    /// the input"); one that does not is no longer a coverage gap ("not input-correlated over N runs"); runs that
    /// disagree in a way the input does not explain leave it inconclusive. A canary found in the clear in any run,
    /// repeated ones included, still fails it.
    /// </summary>
    public static CaseJudgement JudgeDifferential(CanaryScanner scanner, IReadOnlyList<DifferentialRunInput> runs)
    {
        if (runs.Count == 0) throw new ArgumentException("a differential case needs at least one run", nameof(runs));
        var judged = runs.Select(r => (r.Run, r.Input, Judgement: Judge(scanner, r.Input))).ToList();
        var observations = judged.SelectMany(j => DifferentialAnalyzer.Observe(j.Run.Label, j.Judgement.Scan.OpaquePayloads)).ToList();
        var analysis = DifferentialAnalyzer.Analyze(runs.Select(r => r.Run).ToList(), observations);
        var cleared = analysis.Rows.Where(r => r.Kind == DifferentialRowKind.NotCorrelated).ToDictionary(r => (r.Endpoint, r.Shape), r => r.Explanation);
        // Every opaque payload of a request aligned in a flat row is cleared (the ciphertext inside the batch too).
        var clearedFlows = observations.Where(o => cleared.ContainsKey((o.Endpoint, o.Shape))).DistinctBy(o => o.FlowId)
            .ToDictionary(o => o.FlowId, o => cleared[(o.Endpoint, o.Shape)], StringComparer.Ordinal);
        if (clearedFlows.Count > 0)
        {
            string? Clear(Flow flow, OpaquePayload payload) => clearedFlows.GetValueOrDefault(flow.Id);
            judged = judged.Select(j => (j.Run, j.Input, Judge(scanner, j.Input with { ClearOpaquePayload = Clear }))).ToList();
        }

        var countedRuns = analysis.Counted.ToHashSet();
        var counted = judged.Where(j => countedRuns.Contains(j.Run)).ToList();
        var correlated = analysis.Rows.Where(r => r.Kind == DifferentialRowKind.Correlated).ToList();
        var canaryRuns = analysis.Counted.Count(r => !r.Baseline);
        var differential = correlated.Count > 0
            ? (Verdict.Fail, $"{correlated.Count} kind(s) of {correlated[0]}")
            : !analysis.Agree
                ? (Verdict.Inconclusive, $"runs disagree in ways the input does not explain after {analysis.Repeats} extra run(s) (at most {DifferentialAnalyzer.MaxExtraRuns}): {analysis.Rows.First(r => r.Kind == DifferentialRowKind.Disagree)}")
                : (Verdict.Pass, analysis.Rows.Count == 0
                    ? $"no opaque request in any of the {analysis.Runs.Count} runs"
                    : $"{analysis.Rows.Count} kind(s) of opaque request {string.Join("; ", analysis.Rows)}");
        var outcomes = counted.SelectMany(j => j.Judgement.ExpectationOutcomes.Select(o => $"{j.Run.Label}: {o}"))
            .Append($"{DifferentialName}: {differential.Item1.ToString().ToLowerInvariant()}: {differential.Item2}")
            .Concat(analysis.RepeatReasons.Select(r => $"{DifferentialName}: {r}")).ToList();

        var anyFail = judged.FirstOrDefault(j => j.Judgement.Verdict == CaseVerdict.Fail);
        var inconclusive = counted.FirstOrDefault(j => j.Judgement.Verdict == CaseVerdict.Inconclusive);
        var (verdict, reason) = differential.Item1 == Verdict.Fail ? (CaseVerdict.Fail, $"{DifferentialName}: {differential.Item2}")
            : anyFail.Judgement is { } fail ? (CaseVerdict.Fail, $"{anyFail.Run.Label}: {fail.Reason}")
            : differential.Item1 == Verdict.Inconclusive ? (CaseVerdict.Inconclusive, $"{DifferentialName}: {differential.Item2}")
            : inconclusive.Judgement is { } open ? (CaseVerdict.Inconclusive, $"{inconclusive.Run.Label}: {open.Reason}")
            : (CaseVerdict.Pass, $"{DifferentialName}: {differential.Item2}; every run passed ({canaryRuns} with canaries, 1 baseline)");

        var scans = judged.Select(j => j.Judgement.Scan).ToList();
        var scan = new ScanResult
        {
            Verdict = verdict switch { CaseVerdict.Fail => Verdict.Fail, CaseVerdict.Pass => Verdict.Pass, _ => Verdict.Inconclusive },
            Findings = scans.SelectMany(s => s.Findings).ToList(),
            Coverage = new CoverageReport(scans.Sum(s => s.Coverage.FlowsScanned), counted.SelectMany(j => j.Judgement.Scan.Coverage.Items).ToList()),
            Linkables = scans.SelectMany(s => s.Linkables).ToList(),
            DeviceMetadataFindings = scans.SelectMany(s => s.DeviceMetadataFindings).ToList(),
            Expectations = scans.SelectMany(s => s.Expectations).ToList(),
            OpaquePayloads = scans.SelectMany(s => s.OpaquePayloads).ToList(),
        };
        var gaps = counted.SelectMany(j => j.Judgement.CoverageGaps.Select(g => $"{j.Run.Label}: {g}")).ToList();
        return new CaseJudgement(verdict, reason, scan, gaps, outcomes, analysis);
    }

    public const string DifferentialName = "differential";

    /// <summary>
    /// A case that found nothing passes only when the telemetry was alive after its last browsing step: an upload that
    /// started after it could have carried what was browsed. Without one, "nothing found" may only mean "not sent yet".
    /// </summary>
    private static (string Name, Verdict Verdict, string Reason)? Heartbeat(CaseJudgeInput input)
    {
        if (input.TelemetryEndpoints.Count == 0 || input.LastBrowsingStepUtc is not { } last) return null;
        var endpoints = string.Join(", ", input.TelemetryEndpoints);
        var uploads = input.Flows.Count(f => TelemetryHeartbeatCheck.IsHeartbeat(f, input.TelemetryEndpoints, last));
        return uploads > 0
            ? (HeartbeatName, Verdict.Pass, $"{uploads} upload(s) to {endpoints} started after the last browsing step ({last:HH:mm:ss.fff}Z)")
            : (HeartbeatName, Verdict.Inconclusive, $"{TelemetrySilent}: no upload to {endpoints} started after the last browsing step ({last:HH:mm:ss.fff}Z), even after waiting the flush interval");
    }

    public const string HeartbeatName = "telemetry-heartbeat";

    /// <summary>The identifiers (by name) whose value is in a User-Agent header of the case's own requests.</summary>
    private static HashSet<string> InEveryUserAgent(CaseJudgeInput input)
    {
        var agents = input.Flows.SelectMany(f => f.RequestHeaders)
            .Where(h => h.Name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).Distinct().ToList();
        return input.DeviceMetadata.Where(kv => kv.Value.Length > 0 && agents.Any(a => a.Contains(kv.Value, StringComparison.Ordinal)))
            .Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>"android_id (sha256, hex)" → "android_id".</summary>
    private static string IdentifierOf(string findingName) =>
        findingName.IndexOf(" (", StringComparison.Ordinal) is var at and > 0 ? findingName[..at] : findingName;

    /// <summary>The reason's words for a case whose telemetry never flushed after its browsing.</summary>
    public const string TelemetrySilent = "telemetry silent";
}
