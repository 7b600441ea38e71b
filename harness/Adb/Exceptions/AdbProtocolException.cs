namespace Harness.Adb;

/// <summary>The bytes on the wire do not follow the protocol (malformed length, unknown status, truncated frame).</summary>
public class AdbProtocolException : AdbException
{
    public AdbProtocolException(string message) : base(message) { }
}
