namespace Harness.Adb;

public enum DeviceChangeKind
{
    Connected,
    Disconnected,
    StateChanged,
}
