namespace Harness.VirtualDevice.Apps;

/// <summary>One accessibility node of an app's current screen, as uiautomator dumps it.</summary>
public sealed class UiNode
{
    public required string ClassName { get; init; }
    public required UiBounds Bounds { get; init; }
    public string ResourceId { get; init; } = "";
    public string Text { get; init; } = "";
    public string ContentDescription { get; init; } = "";
    public bool Checkable { get; init; }
    public bool Checked { get; init; }
    public bool Clickable { get; init; }
    public bool Enabled { get; init; } = true;
    public bool Focusable { get; init; }
    public bool Focused { get; init; }
    public bool Scrollable { get; init; }
    public bool LongClickable { get; init; }
    public bool Password { get; init; }
    public bool Selected { get; init; }
    public bool Visible { get; init; } = true;
    public IReadOnlyList<UiNode> Children { get; init; } = [];

    /// <summary>The app's own name for the node (which row, which button); never dumped, so apps need no label lookups on a click.</summary>
    public string? Key { get; init; }

    public IEnumerable<UiNode> DescendantsAndSelf()
    {
        yield return this;
        foreach (var c in Children)
        foreach (var d in c.DescendantsAndSelf()) yield return d;
    }

    /// <summary>The deepest visible node containing the point that satisfies the predicate (what a touch lands on).</summary>
    public UiNode? HitTest(int x, int y, Func<UiNode, bool> accept)
    {
        if (!Visible || !Bounds.Contains(x, y)) return null;
        for (var i = Children.Count - 1; i >= 0; i--)
        {
            var hit = Children[i].HitTest(x, y, accept);
            if (hit != null) return hit;
        }
        return accept(this) ? this : null;
    }
}
