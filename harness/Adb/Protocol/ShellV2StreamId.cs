namespace Harness.Adb.Protocol;

/// <summary>Packet ids of the shell protocol v2 (adb shell_protocol.h).</summary>
public enum ShellV2StreamId : byte
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
    Exit = 3,
    CloseStdin = 4,
    WindowSizeChange = 5,
}
