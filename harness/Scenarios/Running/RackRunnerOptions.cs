using Harness.Proxy.Certificates;

namespace Harness.Scenarios;

/// <summary>How <see cref="RackRunner"/> prepares phones and runs their cases.</summary>
public sealed class RackRunnerOptions
{
    /// <summary>Required: the proxy CA every phone is given.</summary>
    public CertificateAuthority? CertificateAuthority { get; init; }

    /// <summary>Each phone's flows go to &lt;FlowsDirectory&gt;/&lt;serial&gt;/flows.jsonl.</summary>
    public string FlowsDirectory { get; init; } = Path.Combine("results", "flows");

    public string SessionsDirectory { get; init; } = Path.Combine("results", ".sessions");

    public ScenarioRunOptions Run { get; init; } = new();

    /// <summary>The rack's run-wide settings (upstream, accounts, destinations): <see cref="RackFile.Settings"/>.</summary>
    public RackSettings Settings { get; init; } = RackSettings.Default;

    /// <summary>First phone's proxy port, the next phone's one higher, and so on; 0 gives every phone a free port.</summary>
    public int ProxyBasePort { get; init; }

    /// <summary>The phones attached over `adb connect` (null = all on USB): reconnected before a case, detached after restore.</summary>
    public RemotePhones? RemotePhones { get; init; }

    /// <summary>Every phone runs only this slice of its planned cases (a shard of a rack with fewer phones than shards).</summary>
    public RackShard? CaseShard { get; init; }

    public TimeSpan RootProbeTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Restore of one phone; removing a user CA through Settings takes 10–25 s on a real phone.</summary>
    public TimeSpan RestoreTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The Settings profile that installs the CA into an unrooted phone's user store (scenarios/system/android-settings.yaml).</summary>
    public string? SettingsProfilePath { get; init; } = DeviceSessionOptions.DefaultSettingsProfilePath;

    /// <summary>
    /// Awaited with every event after <see cref="RackRunner.Progress"/> (from the phones' tasks, concurrently):
    /// <see cref="RackRun"/> hands the events to its sinks here.
    /// </summary>
    public Func<RackProgress, Task>? Report { get; init; }
}
