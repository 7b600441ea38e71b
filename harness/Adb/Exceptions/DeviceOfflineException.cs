namespace Harness.Adb;

/// <summary>The device is known but offline (rebooting, link lost). Often transient, so the retry pipeline handles it.</summary>
public sealed class DeviceOfflineException : AdbException
{
    public DeviceOfflineException(string serial, string serverMessage)
        : base($"device '{serial}' is offline ({serverMessage})")
    {
        Serial = serial;
    }

    public string Serial { get; }
}
