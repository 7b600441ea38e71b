namespace Harness.Leaks;

/// <summary>
/// Something the scanner could not see, or saw only in part: a refused TLS handshake, a failed flow, a truncated body,
/// a phone connection no flow accounts for. <see cref="IsGap"/> items make a clean run inconclusive.
/// </summary>
public sealed record CoverageItem(string Kind, string? FlowId, string? Host, DestinationClass? Destination, string Detail, bool IsGap);
