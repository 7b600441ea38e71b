using System.Text;
using Harness.Flows;

namespace Harness.Proxy.Http2;

/// <summary>
/// Decodes HPACK header blocks (RFC 7541 6) into fields in wire order. One decoder per direction of a connection:
/// its dynamic table carries over from block to block, so every block must be decoded, even for refused streams.
/// </summary>
public sealed class HpackDecoder
{
    private readonly HpackDynamicTable _table;

    /// <param name="maxTableSize">SETTINGS_HEADER_TABLE_SIZE we advertised: the largest size update the peer may send.</param>
    public HpackDecoder(int maxTableSize = 4096)
    {
        MaxTableSizeLimit = maxTableSize;
        _table = new HpackDynamicTable(maxTableSize);
    }

    /// <summary>The limit a dynamic table size update must respect (our SETTINGS_HEADER_TABLE_SIZE).</summary>
    public int MaxTableSizeLimit { get; set; }

    public HpackDynamicTable Table => _table;

    /// <summary>Decodes one complete header block.</summary>
    /// <exception cref="HpackException">Any malformed representation: the connection must end with COMPRESSION_ERROR.</exception>
    public List<HeaderField> Decode(ReadOnlySpan<byte> block)
    {
        TryDecode(block, int.MaxValue, out var fields);
        return fields;
    }

    /// <summary>
    /// Decodes one complete header block, but stops collecting fields once the list outgrows
    /// <paramref name="maxListSize"/> (name + value + 32 per field, as SETTINGS_MAX_HEADER_LIST_SIZE counts): a few
    /// octets of indexed fields can name kilobytes each, so an unbounded list is a memory bomb. The table is still
    /// updated to the end of the block, so the connection stays usable.
    /// </summary>
    /// <returns>False when the list was too large (<paramref name="fields"/> is then incomplete).</returns>
    /// <exception cref="HpackException">Any malformed representation: the connection must end with COMPRESSION_ERROR.</exception>
    public bool TryDecode(ReadOnlySpan<byte> block, int maxListSize, out List<HeaderField> fields)
    {
        fields = [];
        var exceeded = false;
        var position = 0;
        long listSize = 0;
        var fieldSeen = false;
        while (position < block.Length)
        {
            var first = block[position];
            HeaderField field;
            if ((first & 0x80) != 0)
            {
                field = Lookup(HpackInteger.Decode(block, ref position, 7));
            }
            else if ((first & 0xc0) == 0x40)
            {
                field = ReadLiteral(block, ref position, 6);
                _table.Add(field);
            }
            else if ((first & 0xe0) == 0x20)
            {
                // A size update is only allowed at the start of a block (4.2).
                if (fieldSeen) throw new HpackException("dynamic table size update after a header field");
                var size = HpackInteger.Decode(block, ref position, 5);
                if (size > MaxTableSizeLimit) throw new HpackException($"dynamic table size update to {size} exceeds the limit {MaxTableSizeLimit}");
                _table.SetMaxSize(size);
                continue;
            }
            else
            {
                // Literal without indexing (0000) or never indexed (0001): both have a 4-bit prefix.
                field = ReadLiteral(block, ref position, 4);
            }
            fieldSeen = true;
            listSize += field.Name.Length + field.Value.Length + HpackDynamicTable.EntryOverhead;
            exceeded |= listSize > maxListSize;
            if (!exceeded) fields.Add(field);
        }
        return !exceeded;
    }

    private HeaderField Lookup(int index)
    {
        if (index == 0) throw new HpackException("index 0");
        if (index <= HpackStaticTable.Count) return HpackStaticTable.Entries[index - 1];
        var dynamic = index - HpackStaticTable.Count;
        if (dynamic > _table.Count) throw new HpackException($"index {index} beyond the dynamic table ({_table.Count} entries)");
        return _table[dynamic];
    }

    private HeaderField ReadLiteral(ReadOnlySpan<byte> block, ref int position, int prefixBits)
    {
        var nameIndex = HpackInteger.Decode(block, ref position, prefixBits);
        var name = nameIndex == 0 ? ReadString(block, ref position) : Lookup(nameIndex).Name;
        var value = ReadString(block, ref position);
        return new HeaderField(name, value);
    }

    private static string ReadString(ReadOnlySpan<byte> block, ref int position)
    {
        if (position >= block.Length) throw new HpackException("truncated string literal");
        var huffman = (block[position] & 0x80) != 0;
        var length = HpackInteger.Decode(block, ref position, 7);
        if (length > block.Length - position) throw new HpackException("string literal longer than the block");
        var raw = block.Slice(position, length);
        position += length;
        return huffman ? Encoding.Latin1.GetString(HpackHuffman.Decode(raw)) : Encoding.Latin1.GetString(raw);
    }
}
