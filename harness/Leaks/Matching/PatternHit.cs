namespace Harness.Leaks;

/// <summary>One occurrence of a pattern: its index in the matcher and where it starts in the searched bytes.</summary>
public readonly record struct PatternHit(int Pattern, int Start);
