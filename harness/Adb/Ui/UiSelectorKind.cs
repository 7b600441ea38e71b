namespace Harness.Adb.Ui;

public enum UiSelectorKind
{
    ResourceId,
    Text,
    ContentDescription,
    ClassName,
    XPath,
}
