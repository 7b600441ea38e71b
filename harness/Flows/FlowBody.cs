using System.Text.Json.Serialization;

namespace Harness.Flows;

/// <summary>
/// A message body. <see cref="Raw"/> is what crossed the wire (after de-chunking), possibly cut at the
/// store's limit; <see cref="Size"/> is always the true size so a truncated body is never mistaken for a whole one.
/// </summary>
public sealed class FlowBody
{
    public byte[] Raw { get; set; } = [];
    public long Size { get; set; }
    /// <summary>Raw with Content-Encoding undone (gzip, deflate, br, zstd); null when there was none or it failed.</summary>
    public byte[]? Decoded { get; set; }
    public string? ContentEncoding { get; set; }
    public string? ContentType { get; set; }
    [JsonIgnore]
    public bool Truncated => Raw.LongLength < Size;

    /// <summary>The bytes a reader should look at: decoded when available.</summary>
    [JsonIgnore]
    public byte[] Content => Decoded ?? Raw;
}
