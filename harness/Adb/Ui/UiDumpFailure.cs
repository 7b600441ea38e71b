using System.Text.RegularExpressions;

namespace Harness.Adb.Ui;

/// <summary>Names why uiautomator output holds no hierarchy, from what real phones print instead. No I/O.</summary>
public static partial class UiDumpFailure
{
    // The first line of a Java stack trace: "java.io.FileNotFoundException: /data/…: open failed: ENOENT …".
    [GeneratedRegex(@"^\s*((?:[a-z][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error))(?::\s*(.*))?$", RegexOptions.Multiline)]
    private static partial Regex JavaThrowableLine();

    public static UiDumpFailedException Describe(string? output)
    {
        var text = (output ?? "").Replace("\r", "", StringComparison.Ordinal).Trim();
        if (text.Contains("could not get idle state", StringComparison.OrdinalIgnoreCase))
            return new UiDumpFailedException("could not get idle state (the screen kept changing, e.g. an animation; a later dump usually works)", text, transient: true);
        if (text.Contains("null root node", StringComparison.OrdinalIgnoreCase))
            return new UiDumpFailedException("null root node (a window was changing; a later dump usually works)", text, transient: true);
        if (JavaThrowableLine().Match(text) is { Success: true } thrown)
        {
            var detail = thrown.Groups[2].Success ? ": " + Shorten(thrown.Groups[2].Value.Trim(), 160) : "";
            // MIUI prints a ThemeCompatibilityLoader stack trace before every dump; alone, it means the dump itself failed.
            var miui = text.Contains("miui.", StringComparison.Ordinal) ? " (MIUI printed a stack trace and no hierarchy)" : "";
            return new UiDumpFailedException($"{thrown.Groups[1].Value}{detail}{miui}", text, transient: false);
        }
        if (text.Length == 0)
            return new UiDumpFailedException("no output at all", text, transient: true);
        return new UiDumpFailedException($"no hierarchy in the output: \"{Shorten(text, 200)}\"", text, transient: false);
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
