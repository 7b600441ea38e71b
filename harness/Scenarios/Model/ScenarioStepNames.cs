using System.Collections.Frozen;

namespace Harness.Scenarios;

/// <summary>The YAML names of <see cref="ScenarioStepKind"/>, in one table for the loader, errors and reports.</summary>
public static class ScenarioStepNames
{
    private static readonly FrozenDictionary<string, ScenarioStepKind> KindsByName = new Dictionary<string, ScenarioStepKind>(StringComparer.Ordinal)
    {
        ["clear-data"] = ScenarioStepKind.ClearData,
        ["launch"] = ScenarioStepKind.Launch,
        ["apply-mode"] = ScenarioStepKind.ApplyMode,
        ["open-url"] = ScenarioStepKind.OpenUrl,
        ["search"] = ScenarioStepKind.Search,
        ["open-news-item"] = ScenarioStepKind.OpenNewsItem,
        ["wait-telemetry"] = ScenarioStepKind.WaitTelemetry,
        ["restart-browser"] = ScenarioStepKind.RestartBrowser,
        ["new-session"] = ScenarioStepKind.NewSession,
        ["sign-in"] = ScenarioStepKind.SignIn,
        ["sign-out"] = ScenarioStepKind.SignOut,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<ScenarioStepKind, string> NamesByKind = KindsByName.ToFrozenDictionary(p => p.Value, p => p.Key);

    public static IReadOnlyCollection<string> All { get; } = KindsByName.Keys.Order(StringComparer.Ordinal).ToArray();

    public static string ToName(this ScenarioStepKind kind) => NamesByKind[kind];

    public static bool TryParse(string name, out ScenarioStepKind kind) => KindsByName.TryGetValue(name, out kind);
}
