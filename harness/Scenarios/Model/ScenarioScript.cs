namespace Harness.Scenarios;

/// <summary>A scenario script (scenarios/*.yaml) as loaded and validated by <see cref="ScenarioLoader"/>.</summary>
public sealed record ScenarioScript
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";

    /// <summary>The claim under test, in words a reader of the report understands.</summary>
    public required string Claim { get; init; }

    /// <summary>Browser profile ids; empty means every profile ("all").</summary>
    public IReadOnlyList<string> Browsers { get; init; } = [];

    /// <summary>The script of the {canary.query} search term: Latin, or Han for a phone searched in Chinese.</summary>
    public Harness.Leaks.CanaryScript SearchScript { get; init; } = Harness.Leaks.CanaryScript.Latin;

    public required IReadOnlyList<ScenarioMode> Modes { get; init; }
    public required IReadOnlyList<ScenarioStep> Steps { get; init; }
    public required IReadOnlyList<ScenarioExpectation> Expectations { get; init; }
    public required string SourceFile { get; init; }

    /// <summary>Hosts this scenario also counts as intended (its own sites), beside the profile's search engines and the rack's.</summary>
    public IReadOnlyList<string> IntendedHosts { get; init; } = [];

    /// <summary>Domains this scenario also counts as the vendor's, beside the built-in list and the rack's.</summary>
    public IReadOnlyList<string> VendorDomains { get; init; } = [];

    /// <summary>
    /// <c>differential: N</c>: each case runs N times with canaries of different lengths plus a baseline, and opaque
    /// requests are judged by whether they follow the input (<see cref="DifferentialAnalyzer"/>); null = one run.
    /// </summary>
    public int? Differential { get; init; }

    public bool AppliesTo(string browserId) => Browsers.Count == 0 || Browsers.Contains(browserId, StringComparer.Ordinal);

    /// <summary>Sessions in step order: "session-1" first, then each new-session's label.</summary>
    public IReadOnlyList<string> SessionLabels =>
        ["session-1", .. Steps.Where(s => s.Kind == ScenarioStepKind.NewSession).Select((s, i) => s.Label ?? $"session-{i + 2}")];

    public override string ToString() => Name;
}
