using System.Text;
using Harness.Adb;
using Harness.Adb.Ui;

namespace Harness.Fuzz;

/// <summary>
/// `uiautomator dump` output into the element tree, then the lookups the browser driver makes. The documented rejection
/// is <see cref="AdbProtocolException"/> (no hierarchy, not XML, wrong root).
/// </summary>
public static class UiAutomatorTargets
{
    private static readonly UiSelector[] Selectors =
    [
        UiSelector.ResourceId("com.android.browser:id/url"),
        UiSelector.Text("OK"),
        UiSelector.ContentDescription("Search"),
        UiSelector.ClassName("android.widget.EditText"),
        UiSelector.XPath("//node[@clickable='true']"),
    ];

    public static void Hierarchy(byte[] input)
    {
        UiHierarchy hierarchy;
        try
        {
            hierarchy = UiHierarchy.Parse(Encoding.UTF8.GetString(input));
        }
        catch (AdbProtocolException)
        {
            return;
        }
        foreach (var element in hierarchy.AllElements)
        {
            _ = element.ToString();
            // Bounds are parsed with the tree: a malformed bounds attribute must have been rejected there, so every
            // element with bounds has a centre.
            if (element.Bounds is not null) _ = element.Center;
        }
        foreach (var selector in Selectors) hierarchy.FindAll(selector);
    }
}
