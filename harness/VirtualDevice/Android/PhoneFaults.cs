namespace Harness.VirtualDevice.Android;

/// <summary>
/// Faults a test switches on per phone. Apps read them at the moment they act, so a switch takes effect on the
/// next request without a relaunch.
/// </summary>
public sealed class PhoneFaults
{
    private volatile bool _pinnedTelemetry;
    private volatile bool _telemetryBypassesProxy;

    /// <summary>The browsers pin the Sensors host's real key: a MITM certificate for it is refused in the handshake.</summary>
    public bool PinnedTelemetry
    {
        get => _pinnedTelemetry;
        set => _pinnedTelemetry = value;
    }

    /// <summary>The browsers' telemetry opens its own sockets and ignores the system proxy (it reaches the local stand-in directly).</summary>
    public bool TelemetryBypassesProxy
    {
        get => _telemetryBypassesProxy;
        set => _telemetryBypassesProxy = value;
    }
}
