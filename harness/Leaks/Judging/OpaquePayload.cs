namespace Harness.Leaks;

/// <summary>A request payload to a non-intended host that the scanner could not read: where, how large, and why.</summary>
public sealed record OpaquePayload(string Location, long Size, string Reason);
