namespace Harness.Adb;

/// <summary>The adb server does not know the serial (not connected, or a typo).</summary>
public sealed class DeviceNotFoundException : AdbException
{
    public DeviceNotFoundException(string serial, string serverMessage)
        : base($"device '{serial}' not found by the adb server ({serverMessage}); check `adb devices` or `adb connect` it")
    {
        Serial = serial;
    }

    public string Serial { get; }
}
