namespace Harness.Leaks;

/// <summary>A value read from the phone found in a vendor-bound flow.</summary>
public sealed record DeviceMetadataFinding(string Name, string Value, string FlowId, string Host, string Location, IReadOnlyList<string> DecodeChain, string Excerpt);
