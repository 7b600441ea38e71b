namespace Harness.VirtualDevice.Shell;

/// <summary>The three standard streams of a command.</summary>
public sealed record ShellIo(Stream Stdin, Stream Stdout, Stream Stderr);
