namespace Harness.Adb.Protocol;

public enum HostStatus
{
    Okay,
    Fail,
}
