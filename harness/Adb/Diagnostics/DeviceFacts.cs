namespace Harness.Adb.Diagnostics;

/// <summary>What `harness doctor` gathers from one phone before judging it.</summary>
public sealed record DeviceFacts
{
    public required string Serial { get; init; }
    public required DeviceState State { get; init; }
    public string Model { get; init; } = "";
    public string Manufacturer { get; init; } = "";
    public string AndroidRelease { get; init; } = "";
    public string Sdk { get; init; } = "";
    public bool BootCompleted { get; init; }
    public bool Rooted { get; init; }
    public bool SuBinaryPresent { get; init; }
    public IReadOnlyList<InstalledBrowser> Browsers { get; init; } = [];
    /// <summary>`settings get global http_proxy`; null when unset.</summary>
    public string? HttpProxy { get; init; }
    public IReadOnlyList<ForwardEntry> ReverseForwards { get; init; } = [];
    /// <summary>Free bytes on /data; null when df could not be read.</summary>
    public long? DataFreeBytes { get; init; }

    /// <summary>`input` is refused with the INJECT_EVENTS SecurityException (MIUI: "USB debugging (Security settings)" off).</summary>
    public bool InputInjectionDenied { get; init; }

    /// <summary>Still asleep or behind the keyguard after waking it and dismissing the keyguard (a PIN, pattern or password).</summary>
    public bool ScreenLocked { get; init; }
}
