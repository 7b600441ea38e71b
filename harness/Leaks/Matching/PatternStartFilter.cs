using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Harness.Leaks;

/// <summary>
/// Where a pattern can start, judged on its first two bytes: 32 or 64 positions at a time, each compared with every
/// pattern's first byte pair. Letters are compared with bit 5 set, which merges a letter's two cases (and some
/// non-letters with each other): the filter may let through a position no pattern starts at, never the reverse.
/// Canary forms start with very few pairs (tokens with "zq", URLs with "ht"), so this skips nearly everything.
/// </summary>
internal sealed class PatternStartFilter
{
    private const int MaxPairs = 4;
    private const byte CaseBit = 0x20;
    private readonly byte[] _first;
    private readonly byte[] _second;
    // For the scalar tail (short texts are common: decoded ids, JSON strings): which folded bytes start a pair.
    private readonly bool[] _startsPair = new bool[256];

    private PatternStartFilter(byte[] first, byte[] second)
    {
        _first = first;
        _second = second;
        foreach (var b in first) _startsPair[b] = true;
    }

    /// <summary>A filter for these patterns, or null when they have a one-byte pattern or too many distinct starts.</summary>
    public static PatternStartFilter? TryCreate(IReadOnlyList<byte[]> patterns)
    {
        var pairs = new HashSet<(byte, byte)>();
        foreach (var p in patterns)
        {
            if (p.Length < 2) return null;
            pairs.Add(((byte)(p[0] | CaseBit), (byte)(p[1] | CaseBit)));
            if (pairs.Count > MaxPairs) return null;
        }
        if (pairs.Count == 0) return null;
        return new PatternStartFilter([.. pairs.Select(p => p.Item1)], [.. pairs.Select(p => p.Item2)]);
    }

    /// <summary>The first position at or after <paramref name="from"/> where a pattern may start, or -1.</summary>
    public int Next(ReadOnlySpan<byte> text, int from)
    {
        var last = text.Length - 1; // a two-byte start needs a byte after it
        var i = from;
        ref var start = ref MemoryMarshal.GetReference(text);
        var count = _first.Length;
        if (Vector256.IsHardwareAccelerated && last - i >= Vector256<byte>.Count)
        {
            var caseBit = Vector256.Create(CaseBit);
            var a0 = Vector256.Create(_first[0]);
            var b0 = Vector256.Create(_second[0]);
            var a1 = Vector256.Create(_first[count > 1 ? 1 : 0]);
            var b1 = Vector256.Create(_second[count > 1 ? 1 : 0]);
            var a2 = Vector256.Create(_first[count > 2 ? 2 : 0]);
            var b2 = Vector256.Create(_second[count > 2 ? 2 : 0]);
            var a3 = Vector256.Create(_first[count > 3 ? 3 : 0]);
            var b3 = Vector256.Create(_second[count > 3 ? 3 : 0]);
            // Loads at i and i + 1 both stay inside the text while i + 32 <= last.
            for (; i + Vector256<byte>.Count <= last; i += Vector256<byte>.Count)
            {
                var x = Vector256.LoadUnsafe(ref start, (nuint)i) | caseBit;
                var y = Vector256.LoadUnsafe(ref start, (nuint)i + 1) | caseBit;
                var hit = (Vector256.Equals(x, a0) & Vector256.Equals(y, b0)) | (Vector256.Equals(x, a1) & Vector256.Equals(y, b1))
                          | (Vector256.Equals(x, a2) & Vector256.Equals(y, b2)) | (Vector256.Equals(x, a3) & Vector256.Equals(y, b3));
                var mask = hit.ExtractMostSignificantBits();
                if (mask != 0) return i + BitOperations.TrailingZeroCount(mask);
            }
        }
        var startsPair = _startsPair;
        for (; i < last; i++)
        {
            var x = (byte)(text[i] | CaseBit);
            if (!startsPair[x]) continue;
            var y = (byte)(text[i + 1] | CaseBit);
            for (var k = 0; k < count; k++)
                if (x == _first[k] && y == _second[k]) return i;
        }
        return -1;
    }
}
