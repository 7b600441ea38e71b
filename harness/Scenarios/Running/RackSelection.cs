using Harness.Adb;
using Harness.Browsers;
using Harness.Core;

namespace Harness.Scenarios;

/// <summary>
/// What a run runs: the rack file, the adb server, the scenario scripts matching a glob and the browser profiles
/// (one id or all), loaded the same way for `harness run`, `harness nightly` and the NUnit suite. Errors are
/// <see cref="BadInputException"/>s naming the file or the option.
/// </summary>
public sealed record RackSelection(RackFile Rack, string AdbEndpoint, IReadOnlyList<ScenarioScript> Scenarios, IReadOnlyList<BrowserProfile> Profiles, string ScenariosDirectory)
{
    /// <summary>This host's part of the rack (null = all of it).</summary>
    public RackShard? Shard { get; init; }

    /// <summary>
    /// True when the shard takes a slice of the phones (at least as many phones as shards), not of the cases. The phones
    /// are the rack's own, then the ones it rents (each STF request is one phone), in file order.
    /// </summary>
    public bool ShardsPhones => Shard is not null && Rack.Devices.Count + FarmRequests.Count >= Shard.Count;

    /// <summary>The shard that slices each phone's cases (fewer phones than shards), else null.</summary>
    public RackShard? CaseShard => Shard is not null && !ShardsPhones ? Shard : null;

    private IReadOnlyList<StfDeviceRequest> FarmRequests => Rack.Stf?.Requests ?? [];

    /// <summary>The positions (in the rack's phones, then its farm requests) this host runs.</summary>
    private IReadOnlyList<int> Positions => ShardsPhones
        ? Shard!.Slice(Enumerable.Range(0, Rack.Devices.Count + FarmRequests.Count).ToList())
        : Enumerable.Range(0, Rack.Devices.Count + FarmRequests.Count).ToList();

    private IReadOnlyList<RackDevice> Devices => Positions.Where(p => p < Rack.Devices.Count).Select(p => Rack.Devices[p]).ToList();

    /// <summary>The farm and the phones this host rents from it (null when none).</summary>
    private StfSettings? Stf =>
        Rack.Stf is null || Positions.All(p => p < Rack.Devices.Count) ? null
        : Rack.Stf with { Requests = Positions.Where(p => p >= Rack.Devices.Count).Select(p => FarmRequests[p - Rack.Devices.Count]).ToList() };

    public IReadOnlyList<string> Serials => Devices.Select(d => d.Serial).ToList();

    /// <summary>The run options this selection decides; the adapter adds the rest (history, keys, settle …) with `with`.</summary>
    public RackRunOptions RunOptions(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory,
        AdbEndpoint = AdbEndpoint,
        Serials = Serials,
        Stf = Stf,
        RemoteLinks = Devices.Where(d => d.Link is not null).Select(d => d.Link!).ToList(),
        CaseShard = CaseShard,
        Shard = Shard,
        Scenarios = Scenarios,
        Profiles = Profiles,
        ScenariosDirectory = ScenariosDirectory,
        DevicesFile = Rack.SourceFile,
        Settings = Rack.Settings,
    };

    /// <param name="adbOverride">An adb server HOST:PORT that replaces the rack file's (--adb, HARNESS_ADB).</param>
    /// <param name="settingsOverrides">The run's own upstream and account options, applied over the rack file's.</param>
    public static RackSelection Load(string devicesFile, string scenariosDirectory, string? scenarioGlob = null, string? browser = null, string? adbOverride = null,
        RackSettingsOverrides? settingsOverrides = null, RackShard? shard = null)
    {
        var rack = RackFile.Load(devicesFile);
        if (settingsOverrides is not null) rack = rack with { Settings = settingsOverrides.ApplyTo(rack.Settings, Environment.GetEnvironmentVariable) };
        var browsersDirectory = Path.Combine(scenariosDirectory, "browsers");
        var allProfiles = BrowserProfileLoader.LoadDirectory(browsersDirectory);
        var profiles = allProfiles;
        if (!string.IsNullOrEmpty(browser))
        {
            profiles = allProfiles.Where(p => p.Id == browser || p.Package == browser).ToList();
            if (profiles.Count == 0)
                throw new BadInputException($"no browser profile \"{browser}\" in {browsersDirectory} (known: {string.Join(", ", allProfiles.Select(p => p.Id))})", field: "--browser");
        }
        // Scripts are checked against every known profile id, so a selection by browser does not make them invalid.
        var scenarios = ScenarioLoader.LoadDirectory(scenariosDirectory, string.IsNullOrEmpty(scenarioGlob) ? null : scenarioGlob, allProfiles.Select(p => p.Id).ToList());
        if (scenarios.Count == 0)
            throw new BadInputException($"no scenario in {scenariosDirectory} matches \"{scenarioGlob}\"", field: "--scenario");
        var endpoint = adbOverride ?? rack.AdbEndpoint ?? "127.0.0.1:5037";
        try
        {
            _ = AdbClientOptions.ForEndpoint(endpoint);
        }
        catch (FormatException e)
        {
            throw new BadInputException(e.Message, adbOverride is null ? rack.SourceFile : null, field: adbOverride is null ? "adb" : "--adb");
        }
        if (adbOverride is not null) AdbServerLocation.RequireThisHost(adbOverride, null, "--adb");
        return new RackSelection(rack, endpoint, scenarios, profiles, scenariosDirectory) { Shard = shard };
    }
}
