namespace Harness.VirtualDevice.Android;

/// <summary>One logcat line: priority is V/D/I/W/E/F.</summary>
public sealed record LogEntry(DateTimeOffset Time, int Pid, int Tid, char Priority, string Tag, string Message)
{
    /// <summary>threadtime format: "MM-DD HH:MM:SS.mmm  PID  TID L TAG     : msg".</summary>
    public string ToThreadTime() => $"{Time:MM-dd HH:mm:ss.fff} {Pid,5} {Tid,5} {Priority} {Tag,-8}: {Message}";
}
