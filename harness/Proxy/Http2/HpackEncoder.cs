using System.Text;
using Harness.Flows;

namespace Harness.Proxy.Http2;

/// <summary>
/// Encodes header lists as HPACK blocks (RFC 7541): exact matches as indexed fields, the rest as literals with
/// incremental indexing (or never indexed for credentials, 7.1.3), each string Huffman-coded unless that is longer.
/// Names are written in lower case, as HTTP/2 requires (RFC 9113 8.2.1).
/// </summary>
public sealed class HpackEncoder
{
    private readonly HpackDynamicTable _table;
    private readonly int _ownLimit;
    // Size updates owed at the start of the next block (4.2): the smallest size since the last block, then the final one.
    private int? _pendingMinimum;
    private int? _pendingFinal;

    /// <param name="maxTableSize">The largest dynamic table this encoder uses, whatever the peer allows.</param>
    public HpackEncoder(int maxTableSize = 4096)
    {
        _ownLimit = maxTableSize;
        // Until the peer's SETTINGS say otherwise the decoder's table is the protocol default of 4096.
        _table = new HpackDynamicTable(Math.Min(4096, maxTableSize));
        if (_table.MaxSize != 4096) _pendingFinal = _table.MaxSize;
    }

    public HpackDynamicTable Table => _table;

    /// <summary>The peer's SETTINGS_HEADER_TABLE_SIZE changed: use up to that much, announced in the next block.</summary>
    public void SetPeerMaxTableSize(int peerMaxSize)
    {
        var size = Math.Min(peerMaxSize, _ownLimit);
        if (size == _table.MaxSize && _pendingFinal is null) return;
        _pendingMinimum = Math.Min(_pendingMinimum ?? size, Math.Min(size, _table.MaxSize));
        _pendingFinal = size;
        _table.SetMaxSize(size);
    }

    /// <summary>Encodes one header list into a new block.</summary>
    public byte[] Encode(IEnumerable<HeaderField> fields)
    {
        var output = new List<byte>(128);
        if (_pendingFinal is int final)
        {
            if (_pendingMinimum is int minimum && minimum < final) HpackInteger.Encode(minimum, 5, 0x20, output);
            HpackInteger.Encode(final, 5, 0x20, output);
            _pendingMinimum = null;
            _pendingFinal = null;
        }
        foreach (var original in fields) EncodeField(ToLowerName(original), output);
        return output.ToArray();
    }

    private void EncodeField(HeaderField field, List<byte> output)
    {
        var staticIndex = HpackStaticTable.IndexOf(field.Name, field.Value);
        if (staticIndex > 0)
        {
            HpackInteger.Encode(staticIndex, 7, 0x80, output);
            return;
        }
        var dynamicIndex = _table.IndexOf(field.Name, field.Value);
        if (dynamicIndex > 0)
        {
            HpackInteger.Encode(HpackStaticTable.Count + dynamicIndex, 7, 0x80, output);
            return;
        }
        var nameIndex = HpackStaticTable.IndexOfName(field.Name);
        if (nameIndex == 0)
        {
            var dynamicName = _table.IndexOfName(field.Name);
            if (dynamicName > 0) nameIndex = HpackStaticTable.Count + dynamicName;
        }
        if (IsSensitive(field.Name))
        {
            HpackInteger.Encode(nameIndex, 4, 0x10, output);
        }
        else if (HpackDynamicTable.SizeOf(field) <= _table.MaxSize * 3 / 4)
        {
            HpackInteger.Encode(nameIndex, 6, 0x40, output);
            _table.Add(field);
        }
        else
        {
            // Too big to be worth evicting most of the table for: literal without indexing.
            HpackInteger.Encode(nameIndex, 4, 0x00, output);
        }
        if (nameIndex == 0) WriteString(field.Name, output);
        WriteString(field.Value, output);
    }

    private static bool IsSensitive(string name) => name is "authorization" or "proxy-authorization";

    /// <summary>ASCII letters only: other octets of a (malformed) name are passed through as they are.</summary>
    public static HeaderField ToLowerName(HeaderField field)
    {
        foreach (var c in field.Name)
        {
            if (c is >= 'A' and <= 'Z') return field with { Name = string.Create(field.Name.Length, field.Name, static (span, name) =>
            {
                for (var i = 0; i < name.Length; i++) span[i] = name[i] is >= 'A' and <= 'Z' ? (char)(name[i] + 32) : name[i];
            }) };
        }
        return field;
    }

    private static void WriteString(string value, List<byte> output)
    {
        var raw = Encoding.Latin1.GetBytes(value);
        var huffmanLength = HpackHuffman.EncodedLength(raw);
        if (huffmanLength <= raw.Length)
        {
            HpackInteger.Encode(huffmanLength, 7, 0x80, output);
            var buffer = new byte[huffmanLength];
            HpackHuffman.Encode(raw, buffer);
            output.AddRange(buffer);
        }
        else
        {
            HpackInteger.Encode(raw.Length, 7, 0x00, output);
            output.AddRange(raw);
        }
    }
}
