namespace Harness.VirtualDevice.Shell;

/// <summary>A program on the virtual phone's PATH; returns the exit code.</summary>
public delegate Task<int> ShellCommand(ShellInvocation invocation, CancellationToken ct);
