namespace Harness.Browsers;

/// <summary>
/// Parses `cmd package resolve-activity --brief -c android.intent.category.LAUNCHER PKG`: the component is the last
/// line (`pkg/class`), after a `priority=… preferredOrder=…` line; "No activity found" means none.
/// </summary>
public static class LauncherActivityParser
{
    public static string? Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var component = lines.LastOrDefault(line => line.Contains('/') && !line.Contains(' ') && !line.Contains('='));
        if (component is null) return null;
        var slash = component.IndexOf('/');
        return slash > 0 && slash < component.Length - 1 ? component : null;
    }
}
