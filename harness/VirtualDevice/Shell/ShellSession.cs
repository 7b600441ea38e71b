namespace Harness.VirtualDevice.Shell;

/// <summary>Who runs the command and how it is attached: root after su, and whether a terminal (/dev/tty) exists.</summary>
public sealed record ShellSession(bool IsRoot, bool HasTerminal)
{
    public static ShellSession ShellUser(bool hasTerminal) => new(false, hasTerminal);
}
