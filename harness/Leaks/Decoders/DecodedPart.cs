namespace Harness.Leaks;

/// <summary>A payload a decoder got out of its input, with its label in a location (e.g. <c>form:q</c>, <c>json $.a</c>).</summary>
public sealed record DecodedPart(string Label, ReadOnlyMemory<byte> Data);
