namespace Harness.Cli.Tests.Hardening;

/// <summary>What one run of the CLI left: exit code and both output streams.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>A .NET stack trace line ("   at Namespace.Type.Method(") in either stream.</summary>
    public bool HasStackTrace =>
        System.Text.RegularExpressions.Regex.IsMatch(Stdout + Stderr, @"^\s+at [\w.`<>]+[.:][\w<>`]+\(", System.Text.RegularExpressions.RegexOptions.Multiline);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
