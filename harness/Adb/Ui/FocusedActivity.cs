namespace Harness.Adb.Ui;

/// <summary>The resumed (or focused-window) activity: `com.pkg/.Activity` split in two.</summary>
public sealed record FocusedActivity(string PackageName, string ActivityName)
{
    public override string ToString() => $"{PackageName}/{ActivityName}";
}
