using Harness.Adb;
using Harness.Browsers;
using Harness.Core;
using Harness.Scenarios;

namespace Harness.LeakSuite;

/// <summary>
/// The matrix as planned when NUnit discovers the tests: devices.json, the scenario scripts and browser profiles, and
/// per phone the profiles whose package is installed (asked through adb). A phone adb cannot answer for at discovery
/// gets every profile; the runner then reports the ones not installed as not applicable (<see cref="PhonePlan"/>).
/// HARNESS_SCENARIO and HARNESS_BROWSER select as `harness run --scenario/--browser` do (<see cref="RackSelection"/>).
/// </summary>
public sealed class RackPlan
{
    private RackPlan(SuiteSettings settings) => Settings = settings;

    public SuiteSettings Settings { get; }
    public RackSelection? Selection { get; private set; }
    public IReadOnlyList<ScenarioScript> Scenarios => Selection?.Scenarios ?? [];
    public IReadOnlyList<BrowserProfile> Profiles => Selection?.Profiles ?? [];
    public IReadOnlyDictionary<string, IReadOnlyList<PlannedCase>> CasesBySerial { get; private set; } = new Dictionary<string, IReadOnlyList<PlannedCase>>();
    /// <summary>Why planning had to guess for a phone (adb did not answer), by serial.</summary>
    public IReadOnlyDictionary<string, string> PlanningNotes { get; private set; } = new Dictionary<string, string>();
    /// <summary>A configuration error (bad devices.json or script): the suite then has one failing test saying so.</summary>
    public string? ConfigurationError { get; private set; }

    public IReadOnlyList<string> Serials => Selection?.Serials ?? [];

    public string AdbEndpoint => Selection?.AdbEndpoint ?? Settings.AdbEndpoint ?? "127.0.0.1:5037";

    public PlannedCase? Find(string serial, string key) =>
        CasesBySerial.TryGetValue(serial, out var cases) ? cases.FirstOrDefault(c => c.Key == key) : null;

    public static RackPlan Build(SuiteSettings settings)
    {
        var plan = new RackPlan(settings);
        try
        {
            plan.Selection = RackSelection.Load(settings.DevicesFile, settings.ScenariosDirectory, settings.ScenarioGlob, settings.Browser, settings.AdbEndpoint, settings.SettingsOverrides,
                settings.Shard is null ? null : RackShard.Parse(settings.Shard, "HARNESS_SHARD"));
        }
        catch (BadInputException e)
        {
            plan.ConfigurationError = e.Describe();
            return plan;
        }

        IEnumerable<PhonePlan> phones;
        if (!settings.RackNamed)
        {
            phones = plan.Serials.Select(serial => PhonePlan.Assumed(serial, plan.Scenarios, plan.Profiles, "no rack named (HARNESS_DEVICES): planned every profile without asking adb"))
                .Select(p => plan.Selection.CaseShard is { } shard ? p with { Cases = shard.Slice(p.Cases) } : p);
        }
        else
        {
            var adb = new AdbClient(AdbClientOptions.ForEndpoint(plan.AdbEndpoint));
            // Phones are asked in parallel: discovery should not take the sum of every phone's answer time.
            phones = Task.WhenAll(plan.Serials.Select(serial => Task.Run(() => PhonePlan.MakeAsync(adb, serial, plan.Scenarios, plan.Profiles, CancellationToken.None, plan.Selection.CaseShard))))
                .GetAwaiter().GetResult();
        }
        var cases = new Dictionary<string, IReadOnlyList<PlannedCase>>(StringComparer.Ordinal);
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var phone in phones)
        {
            cases[phone.Serial] = phone.Cases.Select(c => new PlannedCase(c)).ToList();
            if (phone.Note is not null) notes[phone.Serial] = phone.Note;
        }
        plan.CasesBySerial = cases;
        plan.PlanningNotes = notes;
        return plan;
    }
}
