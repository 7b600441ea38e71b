using Harness.VirtualDevice.Apps;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.VirtualDevice;

/// <summary>How a virtual phone is started.</summary>
public sealed class VirtualPhoneOptions
{
    /// <summary>TCP port on 127.0.0.1 for the adb transport; 0 picks a free one.</summary>
    public int Port { get; init; }
    /// <summary>
    /// Where the phone listens for `adb connect`: loopback, or the address of a network namespace standing in for a
    /// phone on another host (Wi-Fi debugging, a device farm's tunnel). Its serial is ADDRESS:PORT.
    /// </summary>
    public System.Net.IPAddress ListenAddress { get; init; } = System.Net.IPAddress.Loopback;
    /// <summary>App kinds the phone can install; defaults to <see cref="VirtualAppCatalog.CreateDefault"/>.</summary>
    public VirtualAppCatalog? Catalog { get; init; }
    /// <summary>Virtual APKs installed before the phone goes online.</summary>
    public IReadOnlyList<VirtualApkManifest> Preinstalled { get; init; } = [];
    public TimeProvider? Clock { get; init; }
    /// <summary>
    /// The local internet the phone reaches without a proxy. Share one across the phones of a process (a rack);
    /// when null the phone starts (and owns) its own.
    /// </summary>
    public VirtualInternet? Internet { get; init; }
    /// <summary>Scales app timers such as the Sensors SDK's 15 s flush and the background checks (tests: e.g. 0.05).</summary>
    public double TimeFactor { get; init; } = 1.0;
    /// <summary>Nominal period of the phone's own background traffic (connectivity check, update check), before <see cref="TimeFactor"/>.</summary>
    public TimeSpan BackgroundCheckInterval { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>Features advertised in the CNXN banner: only what the phone implements.</summary>
    public IReadOnlyList<string> Features { get; init; } = ["shell_v2", "cmd", "stat_v2", "ls_v2"];
}
