namespace Harness.VirtualDevice.Shell;

/// <summary>An output redirection: fd 1 or 2 to a file (Append for >>), or "&amp;1"/"&amp;2" to duplicate a descriptor.</summary>
public sealed record ShellRedirect(int Fd, string Target, bool Append);
