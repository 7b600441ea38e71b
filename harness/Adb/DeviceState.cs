namespace Harness.Adb;

/// <summary>Connection state as the adb server reports it in `devices` / `track-devices`.</summary>
public enum DeviceState
{
    Unknown,
    Device,
    Offline,
    Unauthorized,
    Authorizing,
    Connecting,
    Bootloader,
    Recovery,
    Sideload,
    Rescue,
    Host,
    NoPermissions,
}
