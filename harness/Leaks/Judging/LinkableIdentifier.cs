namespace Harness.Leaks;

/// <summary>An identifier value seen in vendor-bound flows of two or more sessions: those sessions can be linked.</summary>
public sealed record LinkableIdentifier(string Value, string Field, IReadOnlyList<string> Sessions, IReadOnlyList<string> FlowIds, IReadOnlyList<string> Locations);
