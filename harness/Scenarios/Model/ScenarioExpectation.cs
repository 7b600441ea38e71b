using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>
/// One expectation of a script. <see cref="AllowHosts"/> are hosts (suffix match) that may receive the canaries
/// although they belong to a forbidden class, e.g. the sync service when sync is on.
/// </summary>
public sealed record ScenarioExpectation(
    ScenarioExpectationKind Kind,
    IReadOnlyList<CanaryKind> Kinds,
    IReadOnlyList<DestinationClass> To,
    IReadOnlyList<string> AllowHosts,
    SourceLocation Location)
{
    public string Name => Kind switch
    {
        ScenarioExpectationKind.NoLeak => "no-leak",
        ScenarioExpectationKind.LeakExpected => "leak-expected",
        ScenarioExpectationKind.NoLinkableId => "no-linkable-id",
        ScenarioExpectationKind.NoDeviceMetadata => "no-device-metadata",
        _ => Kind.ToString(),
    };
}
