namespace Harness.Adb;

/// <summary>
/// Output of one shell command. Shell v2 keeps stdout and stderr apart and carries the exit code;
/// legacy shell v1 merges both into <see cref="Stdout"/> and has no exit code (null).
/// </summary>
public sealed record ShellResult(string Stdout, string Stderr, int? ExitCode)
{
    public bool Succeeded => ExitCode is null or 0;

    /// <summary>Throws unless the exit code is 0 (or unknown, with v1).</summary>
    public ShellResult EnsureSuccess(string command)
    {
        if (!Succeeded)
            throw new AdbCommandFailedException(command, $"exit code {ExitCode}: {(Stderr.Length > 0 ? Stderr : Stdout).Trim()}");
        return this;
    }
}
