namespace Harness.Adb.Ui;

/// <summary>One `node` of a uiautomator dump, with its attributes as dumped and its children in order.</summary>
public sealed class UiElement
{
    internal UiElement(IReadOnlyDictionary<string, string> attributes, UiBounds? bounds, UiElement? parent)
    {
        Attributes = attributes;
        Bounds = bounds;
        Parent = parent;
    }

    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>Null when the node had no (or an unparsable) bounds attribute.</summary>
    public UiBounds? Bounds { get; }

    public UiElement? Parent { get; }
    public IReadOnlyList<UiElement> Children => ChildList;
    internal List<UiElement> ChildList { get; } = new();

    public UiPoint Center => Bounds?.Center
        ?? throw new InvalidOperationException($"element {this} has no bounds, so it has no centre to tap");

    public string Text => Get("text");
    public string ResourceId => Get("resource-id");
    public string ClassName => Get("class");
    public string Package => Get("package");
    public string ContentDescription => Get("content-desc");
    public bool Clickable => Get("clickable") == "true";
    public bool Enabled => Get("enabled") == "true";
    public bool Focused => Get("focused") == "true";

    public string Get(string attribute) => Attributes.TryGetValue(attribute, out var value) ? value : "";

    public IEnumerable<UiElement> DescendantsAndSelf()
    {
        yield return this;
        foreach (var child in ChildList)
            foreach (var descendant in child.DescendantsAndSelf())
                yield return descendant;
    }

    public override string ToString()
    {
        var label = ResourceId.Length > 0 ? $"#{ResourceId}" : Text.Length > 0 ? $"\"{Text}\"" : ContentDescription.Length > 0 ? $"desc=\"{ContentDescription}\"" : "";
        return $"{ClassName}{label}{(Bounds is { } b ? " " + b : "")}";
    }
}
