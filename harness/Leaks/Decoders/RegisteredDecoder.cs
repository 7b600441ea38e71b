namespace Harness.Leaks;

/// <summary>A decoder registered by its name, triggers and decode function (see <see cref="DecoderRegistry"/>).</summary>
public sealed class RegisteredDecoder(string name, DecoderTriggers triggers, Func<ReadOnlyMemory<byte>, string?, ScanLimits, IReadOnlyList<DecodedPart>> decode)
    : IPayloadDecoder
{
    public string Name { get; } = name;

    public DecoderTriggers Triggers { get; } = triggers;

    public IReadOnlyList<DecodedPart> Decode(ReadOnlyMemory<byte> input, string? contentType, ScanLimits limits) => decode(input, contentType, limits);

    public override string ToString() => Name;
}
