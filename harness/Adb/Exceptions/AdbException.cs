namespace Harness.Adb;

/// <summary>Base of every error the ADB layer raises.</summary>
public class AdbException : Exception
{
    public AdbException(string message) : base(message) { }
    public AdbException(string message, Exception? inner) : base(message, inner) { }
}
