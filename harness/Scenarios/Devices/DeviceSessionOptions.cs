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
    public TimeSpan RestoreTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Install the CA into the system store when the phone is rooted.</summary>
    public bool InstallCa { get; init; } = true;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
