using System.Reflection;
using Harness.Browsers;
using Harness.Evidence.History;

namespace Harness.Scenarios;

/// <summary>
/// Everything run-wide about one rack run, filled by its adapter (`harness run` and `harness nightly` from the rack file
/// and options, the NUnit suite from TestParameters / HARNESS_* variables). A new run-wide setting is a property here,
/// read by <see cref="RackRun"/>; every adapter then fills it.
/// </summary>
public sealed record RackRunOptions
{
    /// <summary>The run's output folder: bundle/, allure-results/, suite-results.jsonl, flows/, history-run-id.txt.</summary>
    public required string OutputDirectory { get; init; }

    public required string AdbEndpoint { get; init; }

    /// <summary>The phones, in rack order (a phone's proxy port is the base port plus its place).</summary>
    public required IReadOnlyList<string> Serials { get; init; }

    /// <summary>Phones of <see cref="Serials"/> our adb server reaches over the network: attached before the run, detached after.</summary>
    public IReadOnlyList<RemotePhoneLink> RemoteLinks { get; init; } = [];

    /// <summary>Phones to rent from a DeviceFarmer/STF farm for this run (null = none): reserved at start, always released.</summary>
    public StfSettings? Stf { get; init; }

    /// <summary>This run's shard of the rack (null = the whole rack), recorded in the results so `harness merge` can check the set.</summary>
    public RackShard? Shard { get; init; }

    /// <summary>Set when the shard slices each phone's planned cases (fewer phones than shards): every phone runs this slice.</summary>
    public RackShard? CaseShard { get; init; }

    public required IReadOnlyList<ScenarioScript> Scenarios { get; init; }
    public required IReadOnlyList<BrowserProfile> Profiles { get; init; }

    /// <summary>The scenario folder; its system/android-settings.yaml installs the CA on unrooted phones.</summary>
    public required string ScenariosDirectory { get; init; }

    /// <summary>The rack file, for the report's environment.</summary>
    public string? DevicesFile { get; init; }

    /// <summary><see cref="HistoryRunKind.Run"/> or <see cref="HistoryRunKind.Nightly"/>.</summary>
    public string RunKind { get; init; } = HistoryRunKind.Run;

    public string HistoryDatabase { get; init; } = HistoryStore.DefaultPath;
    public string SessionsDirectory { get; init; } = Path.Combine("results", ".sessions");

    /// <summary>Interception CA folder; null = ~/.harness/ca.</summary>
    public string? CaDirectory { get; init; }

    /// <summary>Evidence signing key folder; null = ~/.harness/signing.</summary>
    public string? SigningKeyDirectory { get; init; }

    /// <summary>Overrides every telemetry wait (profiles and scripts).</summary>
    public TimeSpan? Settle { get; init; }

    /// <summary>The rack's run-wide settings (upstream, accounts, destinations): <see cref="RackSelection"/>'s rack, overrides applied.</summary>
    public RackSettings Settings { get; init; } = RackSettings.Default;

    /// <summary>First phone's proxy port, the next phone's one higher; 0 = free ports.</summary>
    public int ProxyBasePort { get; init; }

    public string HarnessVersion { get; init; } =
        typeof(RackRunOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public string SettingsProfilePath => Path.Combine(ScenariosDirectory, "system", "android-settings.yaml");

    /// <summary>The system-app profiles whose dialogs (permission prompts, MIUI's Install via USB) every case dismisses.</summary>
    public string SystemProfilesDirectory => Path.Combine(ScenariosDirectory, "system");
    public string BundleDirectory => Path.Combine(OutputDirectory, "bundle");
    public string FlowsDirectory => Path.Combine(OutputDirectory, "flows");
}
