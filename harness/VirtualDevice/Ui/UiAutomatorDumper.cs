using System.Text;
using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Ui;

/// <summary>Writes a UI tree exactly as uiautomator's AccessibilityNodeInfoDumper does: one line, fixed attribute order.</summary>
public static class UiAutomatorDumper
{
    public static string Dump(UiNode root, string packageName, int rotation = 0)
    {
        var sb = new StringBuilder("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>");
        sb.Append("<hierarchy rotation=\"").Append(rotation).Append("\">");
        AppendNode(sb, root, 0, packageName);
        sb.Append("</hierarchy>");
        return sb.ToString();
    }

    private static void AppendNode(StringBuilder sb, UiNode node, int index, string packageName)
    {
        sb.Append("<node");
        if (node.Clickable && node.Enabled && node.Text.Length == 0 && node.ContentDescription.Length == 0) Attr(sb, "NAF", "true");
        Attr(sb, "index", index.ToString());
        Attr(sb, "text", node.Text);
        Attr(sb, "resource-id", node.ResourceId);
        Attr(sb, "class", node.ClassName);
        Attr(sb, "package", packageName);
        Attr(sb, "content-desc", node.ContentDescription);
        Attr(sb, "checkable", node.Checkable);
        Attr(sb, "checked", node.Checked);
        Attr(sb, "clickable", node.Clickable);
        Attr(sb, "enabled", node.Enabled);
        Attr(sb, "focusable", node.Focusable);
        Attr(sb, "focused", node.Focused);
        Attr(sb, "scrollable", node.Scrollable);
        Attr(sb, "long-clickable", node.LongClickable);
        Attr(sb, "password", node.Password);
        Attr(sb, "selected", node.Selected);
        Attr(sb, "bounds", node.Bounds.ToString());
        var visible = node.Children.Where(c => c.Visible).ToList();
        if (visible.Count == 0)
        {
            sb.Append(" />");
            return;
        }
        sb.Append('>');
        for (var i = 0; i < visible.Count; i++) AppendNode(sb, visible[i], i, packageName);
        sb.Append("</node>");
    }

    private static void Attr(StringBuilder sb, string name, bool value) => Attr(sb, name, value ? "true" : "false");

    private static void Attr(StringBuilder sb, string name, string value)
    {
        sb.Append(' ').Append(name).Append("=\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\n': sb.Append("&#10;"); break;
                case '\r': sb.Append("&#13;"); break;
                case '\t': sb.Append("&#9;"); break;
                default:
                    // uiautomator replaces characters XML cannot carry with '.'.
                    sb.Append(c < 0x20 || c == 0xFFFE || c == 0xFFFF ? '.' : c);
                    break;
            }
        }
        sb.Append('"');
    }
}
