using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice;

/// <summary>How a virtual phone is started.</summary>
public sealed class VirtualPhoneOptions
{
    /// <summary>TCP port on 127.0.0.1 for the adb transport; 0 picks a free one.</summary>
    public int Port { get; init; }
    /// <summary>App kinds the phone can install; defaults to <see cref="VirtualAppCatalog.CreateDefault"/>.</summary>
    public VirtualAppCatalog? Catalog { get; init; }
    /// <summary>Virtual APKs installed before the phone goes online.</summary>
    public IReadOnlyList<VirtualApkManifest> Preinstalled { get; init; } = [];
    public TimeProvider? Clock { get; init; }
    /// <summary>Features advertised in the CNXN banner: only what the phone implements.</summary>
    public IReadOnlyList<string> Features { get; init; } = ["shell_v2", "cmd", "stat_v2", "ls_v2"];
}
