namespace Harness.VirtualDevice.Android;

/// <summary>A connection from in-phone code to a local port failed: nothing listens there (no reverse forward) or the host refused.</summary>
public sealed class PhoneConnectionRefusedException(int port, string reason) : IOException($"connect to 127.0.0.1:{port} failed: ECONNREFUSED (Connection refused): {reason}")
{
    public int Port { get; } = port;
}
