namespace Harness.VirtualDevice.Shell;

/// <summary>A word (after quote removal) or an operator such as ';', '&amp;&amp;', '|', '>'.</summary>
internal readonly record struct ShellToken(string Text, bool IsOperator);
