namespace Harness.VirtualDevice.Shell;

/// <summary>Commands joined by '|'.</summary>
public sealed record ShellPipeline(IReadOnlyList<ShellSimpleCommand> Commands);
