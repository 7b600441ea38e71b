using Harness.Browsers;

namespace Harness.Scenarios;

/// <summary>One cell of the matrix: a scenario, on one phone, with one browser, in one mode.</summary>
public sealed record ScenarioCase(ScenarioScript Scenario, BrowserProfile Browser, ScenarioMode Mode, string Serial)
{
    /// <summary>Stable across runs (history compares by it): scenario.browser.mode.serial, file-name safe.</summary>
    public string Id => Safe($"{Scenario.Name}.{Browser.Id}.{Mode.Name}.{Serial}");

    public override string ToString() => $"{Scenario.Name} / {Browser.Id} / {Mode.Name} @ {Serial}";

    private static string Safe(string text) =>
        string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : c is '=' ? '-' : '_'));
}
