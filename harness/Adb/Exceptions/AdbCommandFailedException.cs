namespace Harness.Adb;

/// <summary>The adb server or the device answered FAIL (or an error text) to a request.</summary>
public class AdbCommandFailedException : AdbException
{
    public AdbCommandFailedException(string request, string reason)
        : base($"adb request '{request}' failed: {reason}")
    {
        Request = request;
        Reason = reason;
    }

    public string Request { get; }
    public string Reason { get; }
}
