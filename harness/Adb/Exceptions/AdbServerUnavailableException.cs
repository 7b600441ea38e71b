namespace Harness.Adb;

/// <summary>Nothing listens on the adb server's port (or the connection was reset while it restarts).</summary>
public sealed class AdbServerUnavailableException : AdbException
{
    public AdbServerUnavailableException(string host, int port, Exception? inner)
        : base($"no adb server at {host}:{port}: start it with `adb start-server`" + (port == 5037 ? "" : $" (`adb -P {port} start-server`)"), inner)
    {
        Host = host;
        Port = port;
    }

    public string Host { get; }
    public int Port { get; }
}
