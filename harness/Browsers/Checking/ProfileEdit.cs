namespace Harness.Browsers;

/// <summary>One suggested change of a profile file: line <see cref="Line"/> (1-based) reads <see cref="NewText"/> instead of <see cref="OldText"/>.</summary>
public sealed record ProfileEdit(string File, int Line, string OldText, string NewText)
{
    public override string ToString() => $"{File}:{Line}:\n  - {OldText.Trim()}\n  + {NewText.Trim()}";
}
