namespace Harness.Leaks;

/// <summary>
/// One decoder of the scanner: its name (the step it adds to a location), what triggers it, and how it decodes.
/// Every decoder is registered in <see cref="DecoderRegistry"/>; the walker's JSON fast path derives from those
/// triggers what it may skip, so registering a decoder can never make the fast path skip what the decoder would open.
/// </summary>
public interface IPayloadDecoder
{
    string Name { get; }

    DecoderTriggers Triggers { get; }

    /// <summary>
    /// The payloads this decoder gets out of <paramref name="input"/> (one for an escape or compression, several for
    /// a structure), each with the label it gets in a location; empty when the decoder does not open the input.
    /// </summary>
    IReadOnlyList<DecodedPart> Decode(ReadOnlyMemory<byte> input, string? contentType, ScanLimits limits);
}
