namespace Harness.VirtualDevice.Telemetry;

/// <summary>The preset "$" properties the SDK reads from the device.</summary>
/// <param name="DeviceId">ANDROID_ID (Settings.Secure.ANDROID_ID), sent as $device_id.</param>
public sealed record SensorsDeviceProperties(
    string OsVersion,
    string Manufacturer,
    string Model,
    string AppVersion,
    int ScreenWidth,
    int ScreenHeight,
    string Carrier,
    string DeviceId,
    bool Wifi = true,
    string NetworkType = "WIFI",
    string Os = "Android");
