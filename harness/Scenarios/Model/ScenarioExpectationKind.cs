namespace Harness.Scenarios;

public enum ScenarioExpectationKind
{
    /// <summary>No canary of the listed kinds may reach the listed destination classes (allow-hosts excepted).</summary>
    NoLeak,
    /// <summary>A control: the listed canaries MUST be found at the listed destinations, or the pipeline is blind.</summary>
    LeakExpected,
    /// <summary>No identifier may recur in vendor-bound traffic of two sessions.</summary>
    NoLinkableId,
    /// <summary>No device identifier (android_id, serial, model, fingerprint) may reach the vendor or a third party.</summary>
    NoDeviceMetadata,
}
