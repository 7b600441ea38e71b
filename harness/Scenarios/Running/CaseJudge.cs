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
