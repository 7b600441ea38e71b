namespace Harness.VirtualDevice.Transport;

/// <summary>The peer sent bytes that are not a valid adb transport message; the connection must be dropped.</summary>
public sealed class AdbProtocolException(string message) : Exception(message);
