namespace Harness.Proxy.Http2;

/// <summary>Huffman coding of HPACK string literals (RFC 7541 5.2, Appendix B).</summary>
public static class HpackHuffman
{
    // The decoding tree as a flat array: node n has children _tree[2n] (bit 0) and _tree[2n+1] (bit 1);
    // a child >= 0 is a node, a child < 0 is the leaf of symbol ~child, 0 (the root's index) means no such code.
    private static readonly int[] Tree = BuildTree();

    /// <summary>The number of bytes <paramref name="value"/> takes Huffman-coded.</summary>
    public static int EncodedLength(ReadOnlySpan<byte> value)
    {
        long bits = 0;
        foreach (var b in value) bits += HpackHuffmanCode.Lengths[b];
        return (int)((bits + 7) / 8);
    }

    /// <summary>Writes the code of <paramref name="value"/> into <paramref name="destination"/>, padded with ones.</summary>
    /// <returns>The number of bytes written (<see cref="EncodedLength"/>).</returns>
    public static int Encode(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        ulong accumulator = 0;
        var pending = 0;
        var written = 0;
        foreach (var b in value)
        {
            int length = HpackHuffmanCode.Lengths[b];
            accumulator = (accumulator << length) | HpackHuffmanCode.Codes[b];
            pending += length;
            while (pending >= 8)
            {
                pending -= 8;
                destination[written++] = (byte)(accumulator >> pending);
            }
        }
        if (pending > 0)
        {
            // The padding is the most significant bits of EOS, i.e. all ones (5.2).
            accumulator = (accumulator << (8 - pending)) | (uint)((1 << (8 - pending)) - 1);
            destination[written++] = (byte)accumulator;
        }
        return written;
    }

    /// <summary>Decodes a Huffman-coded literal.</summary>
    /// <exception cref="HpackException">EOS inside the data, padding longer than 7 bits or not all ones.</exception>
    public static byte[] Decode(ReadOnlySpan<byte> encoded)
    {
        var output = new byte[encoded.Length * 8 / 5 + 1]; // the shortest code is 5 bits
        var count = 0;
        var node = 0;
        var bitsSinceSymbol = 0;
        var allOnes = true;
        foreach (var b in encoded)
        {
            for (var shift = 7; shift >= 0; shift--)
            {
                var bit = (b >> shift) & 1;
                var next = Tree[2 * node + bit];
                bitsSinceSymbol++;
                allOnes &= bit == 1;
                if (next < 0)
                {
                    var symbol = ~next;
                    if (symbol == 256) throw new HpackException("Huffman data contains EOS");
                    output[count++] = (byte)symbol;
                    node = 0;
                    bitsSinceSymbol = 0;
                    allOnes = true;
                }
                else if (next == 0)
                {
                    throw new HpackException("invalid Huffman code");
                }
                else
                {
                    node = next;
                }
            }
        }
        if (bitsSinceSymbol > 7) throw new HpackException("Huffman padding longer than 7 bits");
        if (!allOnes) throw new HpackException("Huffman padding is not the EOS prefix");
        return output.AsSpan(0, count).ToArray();
    }

    private static int[] BuildTree()
    {
        var tree = new List<int> { 0, 0 };
        for (var symbol = 0; symbol <= 256; symbol++)
        {
            var code = HpackHuffmanCode.Codes[symbol];
            int length = HpackHuffmanCode.Lengths[symbol];
            var node = 0;
            for (var i = length - 1; i >= 0; i--)
            {
                var bit = (int)((code >> i) & 1);
                var slot = 2 * node + bit;
                if (i == 0)
                {
                    tree[slot] = ~symbol;
                    break;
                }
                if (tree[slot] == 0)
                {
                    tree.Add(0);
                    tree.Add(0);
                    tree[slot] = tree.Count / 2 - 1;
                }
                node = tree[slot];
            }
        }
        return tree.ToArray();
    }
}
