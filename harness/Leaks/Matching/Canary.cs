namespace Harness.Leaks;

/// <summary>A value planted by the run (a page's host, path, search term, title, or whole URL) that must not escape.</summary>
public sealed record Canary(CanaryKind Kind, string Value)
{
    public override string ToString() => $"{CanaryKindNames.ToName(Kind)}:{Value}";
}
