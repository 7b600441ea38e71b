using System.Text;
using Harness.Browsers;
using Harness.Core;
using Harness.Scenarios;

namespace Harness.Fuzz;

/// <summary>
/// Files users write by hand: browser profiles, scenario scripts, the rack. Every rejection must be a
/// <see cref="BadInputException"/> (so the CLI prints file:line:col and exits 3); any other exception is a crash.
/// </summary>
public static class ConfigTargets
{
    private static readonly string[] KnownBrowsers = ["mint", "mi-browser", "mi-browser-pro", "miui-browser"];

    public static void BrowserProfile(byte[] input) =>
        Rejectable(() => BrowserProfileLoader.Parse(Encoding.UTF8.GetString(input), "fuzz-profile.yaml"));

    public static void Scenario(byte[] input) =>
        Rejectable(() => ScenarioLoader.Parse(Encoding.UTF8.GetString(input), "fuzz-scenario.yaml", KnownBrowsers));

    public static void DevicesJson(byte[] input) =>
        Rejectable(() => RackFile.Parse(input, "devices.json"));

    private static void Rejectable(Action load)
    {
        try { load(); }
        catch (BadInputException e)
        {
            // The CLI prints this line; it must not fail to format.
            _ = e.Describe();
        }
    }
}
