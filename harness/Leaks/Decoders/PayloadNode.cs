namespace Harness.Leaks;

/// <summary>
/// Bytes reached by decoding, with the path that led to them. <see cref="AlphabetRuns"/> are the runs of base64
/// alphabet (at least 16 long) the walker found once, shared with visitors that look for digests.
/// </summary>
public readonly record struct PayloadNode(ReadOnlyMemory<byte> Data, DecodePath Path, IReadOnlyList<EncodedRun>? AlphabetRuns = null);
