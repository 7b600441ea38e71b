using Harness.Flows;

namespace Harness.Leaks;

/// <summary>What to look for in a capture and how to judge it.</summary>
public sealed class ScanRequest
{
    public required CanarySet Canaries { get; init; }
    /// <summary>Defaults to the canaries' intended hosts and the default vendor list.</summary>
    public DestinationClassifier? Destinations { get; init; }
    public bool ScanResponseBodies { get; init; }
    /// <summary>Empty means <see cref="ScanExpectation.NoLeakAnywhere"/>.</summary>
    public IReadOnlyList<ScanExpectation> Expectations { get; init; } = [];
    public IReadOnlyList<UnaccountedConnection> UnaccountedConnections { get; init; } = [];
    /// <summary>Values read from the phone (model, serial, android_id, fingerprint, IMEI) by name.</summary>
    public IReadOnlyDictionary<string, string> DeviceMetadata { get; init; } = new Dictionary<string, string>();
    /// <summary>The flow tag that names the session (e.g. normal, incognito-1) for identifier linking.</summary>
    public string SessionTag { get; init; } = "session";
    public ScanLimits Limits { get; init; } = ScanLimits.Default;
    /// <summary>
    /// Opaque request payloads another method already judged (a differential run found them not input-correlated):
    /// the note it gives, or null. Such a payload is still listed, with the note, but is no coverage gap.
    /// </summary>
    public Func<Flow, OpaquePayload, string?>? ClearOpaquePayload { get; init; }

    public DestinationClassifier EffectiveDestinations => Destinations ?? new DestinationClassifier(Canaries.IntendedHosts);
}
