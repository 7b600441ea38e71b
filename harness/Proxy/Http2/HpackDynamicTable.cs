using Harness.Flows;

namespace Harness.Proxy.Http2;

/// <summary>
/// The dynamic table of RFC 7541 2.3.2 and 4: newest entry first, each entry sized name + value + 32 octets, oldest
/// entries evicted to stay within the maximum size. Names and values are Latin-1 strings, one char per octet.
/// </summary>
public sealed class HpackDynamicTable(int maxSize)
{
    public const int EntryOverhead = 32;

    // Oldest first, so adding is an append and eviction takes from the front.
    private readonly List<HeaderField> _entries = [];

    public int Count => _entries.Count;

    /// <summary>The sum of the entries' sizes.</summary>
    public int Size { get; private set; }

    public int MaxSize { get; private set; } = maxSize;

    public static int SizeOf(HeaderField field) => field.Name.Length + field.Value.Length + EntryOverhead;

    /// <summary>Entry <paramref name="index"/>, 1 being the newest (HPACK index <c>61 + index</c>).</summary>
    public HeaderField this[int index] => _entries[_entries.Count - index];

    /// <summary>Inserts a field; an entry larger than the table empties it and is not added (4.4).</summary>
    public void Add(HeaderField field)
    {
        var size = SizeOf(field);
        if (size > MaxSize)
        {
            _entries.Clear();
            Size = 0;
            return;
        }
        EvictTo(MaxSize - size);
        _entries.Add(field);
        Size += size;
    }

    /// <summary>A dynamic table size update (4.3, 6.3): evicts until the table fits.</summary>
    public void SetMaxSize(int maxSize)
    {
        MaxSize = maxSize;
        EvictTo(maxSize);
    }

    /// <summary>The index (1 = newest) of an entry with this name and value, else 0.</summary>
    public int IndexOf(string name, string value)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Name == name && _entries[i].Value == value) return _entries.Count - i;
        }
        return 0;
    }

    /// <summary>The index (1 = newest) of an entry with this name, else 0.</summary>
    public int IndexOfName(string name)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Name == name) return _entries.Count - i;
        }
        return 0;
    }

    private void EvictTo(int limit)
    {
        var evict = 0;
        while (Size > limit && evict < _entries.Count)
        {
            Size -= SizeOf(_entries[evict]);
            evict++;
        }
        _entries.RemoveRange(0, evict);
    }
}
