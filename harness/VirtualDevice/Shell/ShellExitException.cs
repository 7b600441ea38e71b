namespace Harness.VirtualDevice.Shell;

/// <summary>Raised by the `exit` builtin to unwind the running script with an exit code.</summary>
public sealed class ShellExitException(int exitCode) : Exception($"exit {exitCode}")
{
    public int ExitCode { get; } = exitCode;
}
