using Harness.Browsers;
using Harness.Proxy.Certificates;

namespace Harness.Scenarios;

/// <summary>How a <see cref="DeviceSession"/> prepares a phone and where it keeps its files.</summary>
public sealed class DeviceSessionOptions
{
    /// <summary>Required: the CA the proxy signs with and the phone must trust.</summary>
    public CertificateAuthority? CertificateAuthority { get; init; }

    /// <summary>Folder of the phone's flow store (flows.jsonl); required.</summary>
    public string? FlowDirectory { get; init; }

    /// <summary>Loopback port of this phone's proxy (reached from the phone through `adb reverse`); 0 takes a free one.</summary>
    public int ProxyPort { get; init; }

    /// <summary>Where restore markers live (results/.sessions).</summary>
    public string SessionsDirectory { get; init; } = Path.Combine("results", ".sessions");

    /// <summary>Each su spelling gets this long; a su that prompts on the phone never answers.</summary>
    public TimeSpan RootProbeTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Restore gets its own budget: it runs after cancellation too.</summary>
    public TimeSpan RestoreTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Install the CA: into the system store when the phone is rooted, else (or when that fails) into the user store through Settings.</summary>
    public bool InstallCa { get; init; } = true;

    /// <summary>The Settings profile shipped with the harness, relative to the checkout (like results/.sessions).</summary>
    public static readonly string DefaultSettingsProfilePath = Path.Combine("scenarios", "system", "android-settings.yaml");

    /// <summary>Where the Settings profile (kind: system-app) that installs and removes the user CA is read from.</summary>
    public string? SettingsProfilePath { get; init; } = DefaultSettingsProfilePath;

    /// <summary>An already loaded Settings profile; wins over <see cref="SettingsProfilePath"/>.</summary>
    public BrowserProfile? SettingsProfile { get; init; }

    /// <summary>Waits and retries of the Settings recipes.</summary>
    public BrowserDriverOptions SettingsDriverOptions { get; init; } = new();

    /// <summary>The rack's run-wide settings (upstream mode, connect-to, extra CA, accounts, destinations), from <see cref="RackFile"/>.</summary>
    public RackSettings Settings { get; init; } = RackSettings.Default;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
