namespace Harness.Leaks;

/// <summary>A canary pattern matched inside one decoded payload, before merging and de-duplication.</summary>
public sealed record CanaryHit(CanaryPattern Pattern, DecodePath Path, int Start, string Excerpt);
