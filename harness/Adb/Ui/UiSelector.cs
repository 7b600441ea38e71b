namespace Harness.Adb.Ui;

/// <summary>How to find an element: exact attribute match, or XPath over the dump (nodes are `node`, e.g. `//node[@text='OK']`).</summary>
public sealed record UiSelector(UiSelectorKind Kind, string Value)
{
    public static UiSelector ResourceId(string id) => new(UiSelectorKind.ResourceId, id);
    public static UiSelector Text(string text) => new(UiSelectorKind.Text, text);
    public static UiSelector ContentDescription(string description) => new(UiSelectorKind.ContentDescription, description);
    public static UiSelector ClassName(string className) => new(UiSelectorKind.ClassName, className);
    public static UiSelector XPath(string xpath) => new(UiSelectorKind.XPath, xpath);

    public override string ToString() => $"{Kind}={Value}";
}
