namespace Harness.Leaks;

/// <summary>
/// Bytes reached by decoding, with the path that led to them. <see cref="AlphabetRuns"/> are the runs of base64
/// alphabet (at least 16 long) the walker found once, shared with visitors that look for digests.
/// <see cref="Shifted"/> marks a base64 run decoded from an offset other than its start: noise that is only searched,
/// never a payload of its own (so never an opaque one).
/// </summary>
public readonly record struct PayloadNode(ReadOnlyMemory<byte> Data, DecodePath Path, IReadOnlyList<EncodedRun>? AlphabetRuns = null, bool Shifted = false);
