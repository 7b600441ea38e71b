namespace Harness.VirtualDevice.Android;

/// <summary>Kernel TCP states as /proc/net/tcp prints them (hex "st" column).</summary>
public enum TcpConnectionState
{
    Established = 0x01,
    SynSent = 0x02,
    TimeWait = 0x06,
    Close = 0x07,
    CloseWait = 0x08,
    Listen = 0x0A,
}
