namespace Harness.Scenarios;

/// <summary>Where something was written in a scenario script, so run-time problems can point back at the YAML.</summary>
public readonly record struct ScriptLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
