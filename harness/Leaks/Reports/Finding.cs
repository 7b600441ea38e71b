namespace Harness.Leaks;

/// <summary>A canary seen somewhere it should not be.</summary>
public sealed record Finding
{
    public required string FlowId { get; init; }
    public required string Host { get; init; }
    public required DestinationClass Destination { get; init; }
    public required CanaryKind CanaryKind { get; init; }
    public required string CanaryValue { get; init; }
    /// <summary>How the canary appeared at its location: plain, percent-encoded, md5 hex, host+path, ….</summary>
    public required string Form { get; init; }
    /// <summary>e.g. <c>body > form:data_list > base64 > gzip > json $.events[3].properties.url</c>.</summary>
    public required string Location { get; init; }
    public required IReadOnlyList<string> DecodeChain { get; init; }
    /// <summary>The decoded bytes around the canary, the canary between « and ».</summary>
    public required string Excerpt { get; init; }
    public string? Session { get; init; }
}
