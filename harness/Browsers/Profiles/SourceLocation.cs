namespace Harness.Browsers;

/// <summary>Where something was written in a profile file, so errors at run time can point back at the YAML.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
