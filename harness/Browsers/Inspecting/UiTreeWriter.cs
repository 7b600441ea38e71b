using System.Text;
using Harness.Adb.Ui;

namespace Harness.Browsers;

/// <summary>
/// The element tree of a dump as a person reads it: one line per element, indented by depth, with what a selector can
/// use (resource-id, text, content-desc, class), the state (checked, focused, disabled, clickable, NAF) and bounds, and
/// after it the profile selectors that find it. No I/O beyond the writer.
/// </summary>
public static class UiTreeWriter
{
    public static void Write(TextWriter output, UiHierarchy screen, IReadOnlyDictionary<UiElement, IReadOnlyList<SelectorMark>>? marks = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(screen);
        for (var window = 0; window < screen.Roots.Count; window++)
        {
            var root = screen.Roots[window];
            if (screen.Roots.Count > 1) output.WriteLine($"window {window + 1} of {screen.Roots.Count}: {root.Package}");
            WriteElement(output, root, 0, marks);
        }
    }

    /// <summary>One element on one line, without indentation or marks.</summary>
    public static string Describe(UiElement element)
    {
        var line = new StringBuilder(ShortClass(element.ClassName));
        if (element.ResourceId.Length > 0) line.Append(" id=").Append(ShortId(element));
        if (element.Text.Length > 0) line.Append(" text=").Append(Quote(element.Text));
        if (element.ContentDescription.Length > 0) line.Append(" desc=").Append(Quote(element.ContentDescription));
        if (element.Get("checkable") == "true") line.Append(element.Get("checked") == "true" ? " [checked]" : " [unchecked]");
        if (element.Focused) line.Append(" [focused]");
        if (element.Attributes.ContainsKey("enabled") && !element.Enabled) line.Append(" [disabled]");
        if (element.Clickable) line.Append(" [clickable]");
        if (element.Get("password") == "true") line.Append(" [password]");
        if (element.Get("NAF") == "true") line.Append(" [NAF]");
        line.Append(' ').Append(element.Bounds?.ToString() ?? "(no bounds)");
        return line.ToString();
    }

    private static void WriteElement(TextWriter output, UiElement element, int depth, IReadOnlyDictionary<UiElement, IReadOnlyList<SelectorMark>>? marks)
    {
        var line = new string(' ', depth * 2) + Describe(element);
        if (marks is not null && marks.TryGetValue(element, out var found) && found.Count > 0)
            line += "  <= " + string.Join(", ", found);
        output.WriteLine(line);
        foreach (var child in element.Children) WriteElement(output, child, depth + 1, marks);
    }

    /// <summary>"android.widget.TextView" reads as "TextView"; other namespaces stay whole (they say whose view it is).</summary>
    private static string ShortClass(string className)
    {
        foreach (var prefix in new[] { "android.widget.", "android.view.", "android.webkit." })
            if (className.StartsWith(prefix, StringComparison.Ordinal)) return className[prefix.Length..];
        return className.Length > 0 ? className : "(no class)";
    }

    /// <summary>The id as a profile writes it: the short name when it belongs to the element's own package.</summary>
    public static string ShortId(UiElement element)
    {
        var own = element.Package + ":id/";
        return element.ResourceId.StartsWith(own, StringComparison.Ordinal) ? element.ResourceId[own.Length..] : element.ResourceId;
    }

    private static string Quote(string text)
    {
        var oneLine = text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        if (oneLine.Length > 80) oneLine = oneLine[..80] + "…";
        return "\"" + oneLine.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
