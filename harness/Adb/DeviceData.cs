namespace Harness.Adb;

/// <summary>One line of `adb devices -l`.</summary>
public sealed record DeviceData(
    string Serial,
    DeviceState State,
    string? Product = null,
    string? Model = null,
    string? Device = null,
    long? TransportId = null,
    string? Usb = null)
{
    public override string ToString() => $"{Serial} ({State})";
}
