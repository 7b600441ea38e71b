namespace Harness.Adb;

/// <summary>The device answered FAIL to a sync request (push, pull, stat, list); carries the device's message.</summary>
public sealed class SyncFailedException : AdbException
{
    public SyncFailedException(string remotePath, string deviceMessage)
        : base($"sync on '{remotePath}' failed: {deviceMessage}")
    {
        RemotePath = remotePath;
        DeviceMessage = deviceMessage;
    }

    public string RemotePath { get; }
    public string DeviceMessage { get; }
}
