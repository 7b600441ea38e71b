namespace Harness.Adb;

/// <summary>`input text` types through the virtual keyboard's key map, which has no keys for non-ASCII characters.</summary>
public sealed class UnsupportedTextException : AdbException
{
    public UnsupportedTextException(string message) : base(message) { }
}
