namespace Harness.Adb;

/// <summary>How a phone's shell output is quoted in a message: its first line, trimmed.</summary>
public static class ShellText
{
    public static string FirstLine(string text) => text.Trim().Split('\n')[0].Trim() is { Length: > 0 } line ? line : "no output";
}
