namespace Harness.VirtualDevice.Shell;

/// <summary>One command after quote removal: its words and its redirections.</summary>
public sealed record ShellSimpleCommand(IReadOnlyList<string> Words, IReadOnlyList<ShellRedirect> Redirects);
