namespace Harness.Browsers;

/// <summary>What a condition checks about the element its selector finds.</summary>
public enum ConditionKind
{
    Present,
    Absent,
    Checked,
    Unchecked,
    Enabled,
    Focused,
    TextContains,
}
