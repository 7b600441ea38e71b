namespace Harness.Adb;

/// <summary>The device has not accepted this host's RSA key.</summary>
public sealed class DeviceUnauthorizedException : AdbException
{
    public DeviceUnauthorizedException(string serial, string serverMessage)
        : base($"device '{serial}' is unauthorized ({serverMessage}): accept the USB debugging prompt on the phone")
    {
        Serial = serial;
    }

    public string Serial { get; }
}
