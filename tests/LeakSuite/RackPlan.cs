using Harness.Adb;
using Harness.Browsers;
using Harness.Core;
using Harness.Scenarios;

namespace Harness.LeakSuite;

/// <summary>
/// The matrix as planned when NUnit discovers the tests: devices.json, the scenario scripts and browser profiles, and
/// per phone the profiles whose package is installed (asked through adb). A phone adb cannot answer for at discovery
/// gets every profile; the runner then reports the ones not installed as not applicable.
/// </summary>
public sealed class RackPlan
{
    private static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromSeconds(20);

    private RackPlan(SuiteSettings settings) => Settings = settings;

    public SuiteSettings Settings { get; }
    public RackFile? Rack { get; private set; }
    public IReadOnlyList<ScenarioScript> Scenarios { get; private set; } = [];
    public IReadOnlyList<BrowserProfile> Profiles { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<PlannedCase>> CasesBySerial { get; private set; } = new Dictionary<string, IReadOnlyList<PlannedCase>>();
    /// <summary>Why planning had to guess for a phone (adb did not answer), by serial.</summary>
    public IReadOnlyDictionary<string, string> PlanningNotes { get; private set; } = new Dictionary<string, string>();
    /// <summary>A configuration error (bad devices.json or script): the suite then has one failing test saying so.</summary>
    public string? ConfigurationError { get; private set; }

    public IReadOnlyList<string> Serials => Rack?.Devices.Select(d => d.Serial).ToList() ?? [];

    public string AdbEndpoint => Settings.AdbEndpoint ?? Rack?.AdbEndpoint ?? "127.0.0.1:5037";

    public PlannedCase? Find(string serial, string key) =>
        CasesBySerial.TryGetValue(serial, out var cases) ? cases.FirstOrDefault(c => c.Key == key) : null;

    public static RackPlan Build(SuiteSettings settings)
    {
        var plan = new RackPlan(settings);
        try
        {
            plan.Rack = RackFile.Load(settings.DevicesFile);
            var browsersDirectory = Path.Combine(settings.ScenariosDirectory, "browsers");
            plan.Profiles = BrowserProfileLoader.LoadDirectory(browsersDirectory);
            plan.Scenarios = ScenarioLoader.LoadDirectory(settings.ScenariosDirectory, null, plan.Profiles.Select(p => p.Id).ToList());
            _ = AdbClientOptions.ForEndpoint(plan.AdbEndpoint);
        }
        catch (BadInputException e)
        {
            plan.ConfigurationError = e.Describe();
            return plan;
        }
        catch (FormatException e)
        {
            plan.ConfigurationError = "adb endpoint: " + e.Message;
            return plan;
        }

        var cases = new Dictionary<string, IReadOnlyList<PlannedCase>>(StringComparer.Ordinal);
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!settings.RackNamed)
        {
            foreach (var serial in plan.Serials)
            {
                cases[serial] = AllCases(plan, serial);
                notes[serial] = "no rack named (HARNESS_DEVICES): planned every profile without asking adb";
            }
            plan.CasesBySerial = cases;
            plan.PlanningNotes = notes;
            return plan;
        }
        var adb = new AdbClient(AdbClientOptions.ForEndpoint(plan.AdbEndpoint));
        // Phones are asked in parallel: discovery should not take the sum of every phone's answer time.
        var planned = plan.Serials.Select(serial => Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(DiscoveryTimeout);
            try
            {
                return (serial, await ScenarioRunner.PlanAsync(adb, serial, plan.Scenarios, plan.Profiles, timeout.Token).ConfigureAwait(false), (string?)null);
            }
            catch (Exception e) when (e is AdbException or IOException or TimeoutException or OperationCanceledException)
            {
                return (serial, (IReadOnlyList<ScenarioCase>)AllCases(plan, serial).Select(c => c.Case).ToList(),
                    (string?)$"adb did not list the installed browsers at discovery ({e.GetType().Name}: {e.Message}); planned every profile");
            }
        })).ToArray();
        foreach (var (serial, list, note) in Task.WhenAll(planned).GetAwaiter().GetResult())
        {
            cases[serial] = list.Select(c => new PlannedCase(c)).ToList();
            if (note is not null) notes[serial] = note;
        }
        plan.CasesBySerial = cases;
        plan.PlanningNotes = notes;
        return plan;
    }

    /// <summary>Every profile a scenario applies to, installed or not: the runner reports the missing ones as not applicable.</summary>
    private static List<PlannedCase> AllCases(RackPlan plan, string serial) =>
        plan.Scenarios.SelectMany(s => plan.Profiles.Where(p => s.AppliesTo(p.Id))
            .SelectMany(p => s.Modes.Select(m => new PlannedCase(new ScenarioCase(s, p, m, serial))))).ToList();
}
