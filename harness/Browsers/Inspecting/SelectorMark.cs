namespace Harness.Browsers;

/// <summary>One profile selector that finds an element: <see cref="ById"/> false means only its label matched (the id is stale or absent).</summary>
public sealed record SelectorMark(string ProfileId, string SelectorName, bool ById)
{
    public override string ToString() => $"{ProfileId}:{SelectorName}{(ById ? "" : " (by label)")}";
}
