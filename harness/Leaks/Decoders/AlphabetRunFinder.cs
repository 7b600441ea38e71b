using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Harness.Leaks;

/// <summary>
/// Runs of the base64 alphabet (which includes every hex digit) or of hex digits, found 64 bytes at a time: each block
/// becomes a bit mask of alphabet membership (vector compares), and runs are read off the mask with bit arithmetic.
/// Text is full of short alphabet runs (words, numbers) that a byte loop would have to walk one by one; here a block
/// whose runs are all short costs a few instructions.
/// </summary>
internal static class AlphabetRunFinder
{
    private const int Block = 64;

    /// <summary>Appends every maximal run of at least <paramref name="minLength"/> alphabet bytes, in order.</summary>
    /// <param name="hex">Hex digits (either case) instead of the base64 alphabet (standard and URL-safe).</param>
    public static void Find(ReadOnlySpan<byte> s, int minLength, bool hex, List<EncodedRun> runs)
    {
        minLength = Math.Max(1, minLength);
        if (s.Length < minLength) return;
        ref var start = ref MemoryMarshal.GetReference(s);
        // Start of the run still open at the current block's first byte, or -1.
        var open = -1;
        var at = 0;
        for (; at + Block <= s.Length; at += Block)
            open = Scan(Mask(ref Unsafe.Add(ref start, at), hex), at, open, minLength, runs);
        if (at < s.Length)
        {
            // The tail's mask has zeros past the end (no alphabet there), which closes any open run.
            open = Scan(TailMask(s[at..], hex), at, open, minLength, runs);
        }
        if (open >= 0 && s.Length - open >= minLength) runs.Add(new EncodedRun(open, s.Length - open, false));
    }

    /// <summary>Emits the runs a block's mask closes; returns the start of the run it leaves open (or -1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Scan(ulong mask, int blockStart, int open, int minLength, List<EncodedRun> runs)
    {
        // The common case in text and binary: the run carried in stays short and no run inside is long enough.
        // Decided with a few data-independent bit operations, so unpredictable masks cost no mispredicted branches.
        var prefix = BitOperations.TrailingZeroCount(~mask);
        var carried = open >= 0 ? blockStart - open : 0;
        if (carried + prefix < minLength && LongRunStarts(mask, minLength) == 0)
        {
            var topOnes = BitOperations.LeadingZeroCount(~mask);
            if (topOnes == Block) return open >= 0 ? open : blockStart;
            return topOnes > 0 ? blockStart + Block - topOnes : -1;
        }
        return ScanSlow(mask, blockStart, open, minLength, runs);
    }

    private static int ScanSlow(ulong mask, int blockStart, int open, int minLength, List<EncodedRun> runs)
    {
        if (mask == ulong.MaxValue) return open >= 0 ? open : blockStart;
        if (open >= 0)
        {
            var ones = BitOperations.TrailingZeroCount(~mask);
            var end = blockStart + ones;
            if (end - open >= minLength) runs.Add(new EncodedRun(open, end - open, false));
            mask &= ~((1UL << ones) - 1);
        }
        // Ones reaching the block's last byte may continue into the next block.
        var top = BitOperations.LeadingZeroCount(~mask);
        var inner = top == 0 ? mask : mask & ((1UL << (Block - top)) - 1);
        // Only the starts of long runs: a run start is a one with a zero (or the block's edge) before it.
        for (var starts = inner & ~(inner << 1) & LongRunStarts(inner, minLength); starts != 0; starts &= starts - 1)
        {
            var first = BitOperations.TrailingZeroCount(starts);
            runs.Add(new EncodedRun(blockStart + first, BitOperations.TrailingZeroCount(~(inner >> first)), false));
        }
        return top > 0 ? blockStart + Block - top : -1;
    }

    /// <summary>
    /// Bit i set when bits i .. i + <paramref name="length"/> - 1 of <paramref name="mask"/> are all set (within its
    /// 64 bits): where runs of at least that length start, and where the positions after such a start are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LongRunStarts(ulong mask, int length)
    {
        if (length > Block) return 0;
        if (length == 16)
        {
            // The walker's usual minimum, spelled out so the shifts are constants.
            mask &= mask >> 1;
            mask &= mask >> 2;
            mask &= mask >> 4;
            return mask & mask >> 8;
        }
        // After each step, bit i says "bits i .. i + covered - 1 are all set". No early exit: the number of steps
        // depends on the length only, so the loop's branches are always predicted.
        var covered = 1;
        while (covered < length)
        {
            var shift = Math.Min(covered, length - covered);
            mask &= mask >> shift;
            covered += shift;
        }
        return mask;
    }

    /// <summary>
    /// The mask of fewer than 64 bytes, without copying them: two overlapping loads cover the span (a byte seen twice
    /// sets its bit twice), so short payloads such as decoded ids cost as little as a block.
    /// </summary>
    private static ulong TailMask(ReadOnlySpan<byte> tail, bool hex)
    {
        ref var p = ref MemoryMarshal.GetReference(tail);
        var n = tail.Length;
        if (Vector256.IsHardwareAccelerated && n >= 32)
            return Member(Vector256.LoadUnsafe(ref p), hex).ExtractMostSignificantBits()
                   | (ulong)Member(Vector256.LoadUnsafe(ref p, (nuint)(n - 32)), hex).ExtractMostSignificantBits() << (n - 32);
        if (Vector128.IsHardwareAccelerated && n >= 16)
        {
            ulong mask = 0;
            for (var i = 0; i + 16 <= n; i += 16) mask |= (ulong)Member(Vector128.LoadUnsafe(ref p, (nuint)i), hex).ExtractMostSignificantBits() << i;
            return mask | (ulong)Member(Vector128.LoadUnsafe(ref p, (nuint)(n - 16)), hex).ExtractMostSignificantBits() << (n - 16);
        }
        ulong bits = 0;
        for (var i = 0; i < n; i++)
        {
            var b = tail[i];
            if (hex ? PercentDecoder.IsHex(b) : Base64Decoder.IsAlphabet(b)) bits |= 1UL << i;
        }
        return bits;
    }

    /// <summary>Bit i set when byte i of the 64 at <paramref name="p"/> is in the alphabet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mask(ref byte p, bool hex)
    {
        if (Vector512.IsHardwareAccelerated)
            return Member(Vector512.LoadUnsafe(ref p), hex).ExtractMostSignificantBits();
        if (Vector256.IsHardwareAccelerated)
            return Member(Vector256.LoadUnsafe(ref p), hex).ExtractMostSignificantBits()
                   | (ulong)Member(Vector256.LoadUnsafe(ref p, 32), hex).ExtractMostSignificantBits() << 32;
        if (Vector128.IsHardwareAccelerated)
        {
            ulong mask = 0;
            for (var i = 0; i < 4; i++) mask |= (ulong)Member(Vector128.LoadUnsafe(ref p, (nuint)(16 * i)), hex).ExtractMostSignificantBits() << (16 * i);
            return mask;
        }
        ulong bits = 0;
        for (var i = 0; i < Block; i++)
        {
            var b = Unsafe.Add(ref p, i);
            if (hex ? PercentDecoder.IsHex(b) : Base64Decoder.IsAlphabet(b)) bits |= 1UL << i;
        }
        return bits;
    }

    // Unsigned byte arithmetic: subtracting the range's first byte makes everything below it wrap to large values,
    // so one "less than" tests a range. Letters are folded to lower case by setting bit 5 (only letters land in a-z).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Member(Vector512<byte> v, bool hex)
    {
        var folded = v | Vector512.Create((byte)0x20);
        var digit = Vector512.LessThan(v - Vector512.Create((byte)'0'), Vector512.Create((byte)10));
        if (hex) return digit | Vector512.LessThan(folded - Vector512.Create((byte)'a'), Vector512.Create((byte)6));
        return digit | Vector512.LessThan(folded - Vector512.Create((byte)'a'), Vector512.Create((byte)26))
               | Vector512.Equals(v, Vector512.Create((byte)'+')) | Vector512.Equals(v, Vector512.Create((byte)'/'))
               | Vector512.Equals(v, Vector512.Create((byte)'-')) | Vector512.Equals(v, Vector512.Create((byte)'_'));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Member(Vector256<byte> v, bool hex)
    {
        var folded = v | Vector256.Create((byte)0x20);
        var digit = Vector256.LessThan(v - Vector256.Create((byte)'0'), Vector256.Create((byte)10));
        if (hex) return digit | Vector256.LessThan(folded - Vector256.Create((byte)'a'), Vector256.Create((byte)6));
        return digit | Vector256.LessThan(folded - Vector256.Create((byte)'a'), Vector256.Create((byte)26))
               | Vector256.Equals(v, Vector256.Create((byte)'+')) | Vector256.Equals(v, Vector256.Create((byte)'/'))
               | Vector256.Equals(v, Vector256.Create((byte)'-')) | Vector256.Equals(v, Vector256.Create((byte)'_'));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Member(Vector128<byte> v, bool hex)
    {
        var folded = v | Vector128.Create((byte)0x20);
        var digit = Vector128.LessThan(v - Vector128.Create((byte)'0'), Vector128.Create((byte)10));
        if (hex) return digit | Vector128.LessThan(folded - Vector128.Create((byte)'a'), Vector128.Create((byte)6));
        return digit | Vector128.LessThan(folded - Vector128.Create((byte)'a'), Vector128.Create((byte)26))
               | Vector128.Equals(v, Vector128.Create((byte)'+')) | Vector128.Equals(v, Vector128.Create((byte)'/'))
               | Vector128.Equals(v, Vector128.Create((byte)'-')) | Vector128.Equals(v, Vector128.Create((byte)'_'));
    }
}
