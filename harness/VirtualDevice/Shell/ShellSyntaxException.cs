namespace Harness.VirtualDevice.Shell;

/// <summary>The command line does not parse (e.g. an unterminated quote); mksh reports it and exits 1.</summary>
public sealed class ShellSyntaxException(string message) : Exception(message);
