namespace Harness.Proxy.Http2;

/// <summary>The prefixed integer representation of RFC 7541 5.1.</summary>
public static class HpackInteger
{
    /// <summary>Appends <paramref name="value"/> with an N-bit prefix; <paramref name="flags"/> fills the bits above it.</summary>
    public static void Encode(int value, int prefixBits, byte flags, List<byte> output)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            output.Add((byte)(flags | value));
            return;
        }
        output.Add((byte)(flags | max));
        value -= max;
        while (value >= 128)
        {
            output.Add((byte)(value % 128 + 128));
            value /= 128;
        }
        output.Add((byte)value);
    }

    /// <summary>Reads an integer with an N-bit prefix at <paramref name="position"/>, advancing it.</summary>
    /// <exception cref="HpackException">Truncated, or larger than a 31-bit value (no header block needs more).</exception>
    public static int Decode(ReadOnlySpan<byte> block, ref int position, int prefixBits)
    {
        if (position >= block.Length) throw new HpackException("truncated integer");
        var max = (1 << prefixBits) - 1;
        long value = block[position++] & max;
        if (value < max) return (int)value;
        var shift = 0;
        while (true)
        {
            if (position >= block.Length) throw new HpackException("truncated integer");
            var b = block[position++];
            value += (long)(b & 0x7f) << shift;
            if (value > int.MaxValue) throw new HpackException("integer overflow");
            if ((b & 0x80) == 0) return (int)value;
            shift += 7;
            if (shift > 28) throw new HpackException("integer overflow");
        }
    }
}
