using Harness.Scenarios;

namespace Harness.LeakSuite;

/// <summary>One generated NUnit case: the matrix cell plus the names and categories `dotnet test --filter` selects by.</summary>
public sealed record PlannedCase(ScenarioCase Case)
{
    public string Key => Case.Id;

    /// <summary>e.g. "incognito-url [mint, incognito=on,enhanced-incognito=off] @ 127.0.0.1:5611".</summary>
    public string TestName => $"{Case.Scenario.Name} [{Case.Browser.Id}, {Case.Mode.Name}] @ {Case.Serial}";

    /// <summary>
    /// Filter syntax treats = , ( ) &amp; | ! ~ as operators, so categories use ':' and '-' only:
    /// browser:mint, scenario:incognito-url, device:127.0.0.1:5611, mode:incognito-on_enhanced-incognito-off, and one per switch (incognito:on).
    /// </summary>
    public IReadOnlyList<string> Categories
    {
        get
        {
            var mode = Case.Mode;
            var list = new List<string>
            {
                LeakSuiteCategories.Suite,
                "browser:" + Case.Browser.Id,
                "package:" + Case.Browser.Package,
                "scenario:" + Case.Scenario.Name,
                "device:" + Case.Serial,
                "mode:" + ModeToken(mode.Name),
            };
            void Switch(string name, bool? value)
            {
                if (value is { } v) list.Add($"{name}:{(v ? "on" : "off")}");
            }
            Switch("incognito", mode.Incognito);
            Switch("enhanced-incognito", mode.EnhancedIncognito);
            Switch("signed-in", mode.SignedIn);
            Switch("sync", mode.Sync);
            return list;
        }
    }

    public static string ModeToken(string modeName) => modeName.Replace('=', '-').Replace(',', '_');
}
