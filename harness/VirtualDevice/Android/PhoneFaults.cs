namespace Harness.VirtualDevice.Android;

/// <summary>
/// Faults a test switches on per phone. Apps read them at the moment they act, so a switch takes effect on the
/// next request without a relaunch.
/// </summary>
public sealed class PhoneFaults
{
    private volatile bool _pinnedTelemetry;
    private volatile bool _telemetryBypassesProxy;
    private volatile bool _inputInjectionDenied;
    private volatile int _animatingDumps;
    private volatile bool _ratingPrompt;
    private volatile string? _permissionPromptOnLaunch;

    /// <summary>
    /// The next cold start of this package raises a runtime-permission prompt over it (Android 13+ asks for
    /// POST_NOTIFICATIONS on an app's first launch): com.android.permissioncontroller's dialog, once.
    /// </summary>
    public string? PermissionPromptOnLaunch
    {
        get => _permissionPromptOnLaunch;
        set => _permissionPromptOnLaunch = value;
    }

    /// <summary>The browsers show a "rate this app" prompt on launch, which no shipped profile declares (an unknown dialog).</summary>
    public bool RatingPrompt
    {
        get => _ratingPrompt;
        set => _ratingPrompt = value;
    }

    /// <summary>
    /// MIUI's "USB debugging (Security settings)" is off: `input` is refused with the SecurityException about
    /// INJECT_EVENTS (as on every MIUI phone until that switch, which needs a Mi account and a SIM, is turned on).
    /// </summary>
    public bool InputInjectionDenied
    {
        get => _inputInjectionDenied;
        set => _inputInjectionDenied = value;
    }

    /// <summary>
    /// How many uiautomator dumps after a page starts loading answer "ERROR: could not get idle state." (while
    /// animations are on; with every animation scale at 0 the window is idle at once). 0 = never.
    /// </summary>
    public int AnimatingDumps
    {
        get => _animatingDumps;
        set => _animatingDumps = value;
    }

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
