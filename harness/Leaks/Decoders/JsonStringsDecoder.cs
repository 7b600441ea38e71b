using System.Text;
using System.Text.Json;

namespace Harness.Leaks;

/// <summary>
/// JSON: every string value (unescaped: <c>\/</c>, <c>\uXXXX</c>) with its JSONPath, e.g. <c>$.events[3].url</c>.
/// Strings that hold JSON themselves are decoded again by the walker. Long property names are yielded too,
/// because maps keyed by URL exist.
/// </summary>
public static class JsonStringsDecoder
{
    private const int MinKeyLengthWorthScanning = 16;

    public static bool LooksLikeJson(ReadOnlySpan<byte> s)
    {
        var i = 0;
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') i++;
        if (i >= s.Length || s[i] is not ((byte)'{' or (byte)'[')) return false;
        var j = s.Length - 1;
        while (j > i && s[j] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or 0) j--;
        return s[j] is (byte)'}' or (byte)']';
    }

    /// <returns>False when the bytes are not one complete JSON document (the strings read so far are kept).</returns>
    public static bool TryDecode(ReadOnlyMemory<byte> data, bool includeNumbers, List<JsonValueSlot> values)
    {
        var reader = new Utf8JsonReader(data.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 });
        var stack = new List<Frame>();
        string? pendingName = null;
        var names = new SegmentCache();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var name = NextSegment(stack, ref pendingName);
                        var parentPrefix = stack.Count == 0 ? "$" : stack[^1].Prefix;
                        stack.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, name is null ? parentPrefix : parentPrefix + name));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        stack.RemoveAt(stack.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        // Held as its path segment already: names repeat in every element of an array, the cache
                        // makes one string per distinct name instead of two per occurrence.
                        pendingName = reader.ValueIsEscaped ? Segment(reader.GetString()!) : names.SegmentOf(reader.ValueSpan);
                        if (reader.ValueSpan.Length >= MinKeyLengthWorthScanning)
                            values.Add(new JsonValueSlot(PrefixOf(stack), pendingName + " (key)", Value(ref reader, data), reader.ValueIsEscaped));
                        break;
                    case JsonTokenType.String:
                        var segment = NextSegment(stack, ref pendingName);
                        values.Add(new JsonValueSlot(PrefixOf(stack), segment, Value(ref reader, data), reader.ValueIsEscaped));
                        break;
                    case JsonTokenType.Number:
                        var numberSegment = NextSegment(stack, ref pendingName);
                        if (includeNumbers) values.Add(new JsonValueSlot(PrefixOf(stack), numberSegment, data.Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length), false));
                        break;
                    default:
                        NextSegment(stack, ref pendingName);
                        break;
                }
            }
            return reader.BytesConsumed == data.Length || data.Span[(int)reader.BytesConsumed..].Trim(" \r\n\t\0"u8).IsEmpty;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: an escaped key that is not valid UTF-8/UTF-16 (found by fuzzing). Hostile
            // traffic is normal here; the caller scans a broken document as plain bytes.
            return false;
        }
    }

    private static ReadOnlyMemory<byte> Value(ref Utf8JsonReader reader, ReadOnlyMemory<byte> data)
    {
        if (!reader.ValueIsEscaped) return data.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        var buffer = new byte[reader.ValueSpan.Length];
        var n = reader.CopyString(buffer);
        return buffer.AsMemory(0, n);
    }

    /// <summary>The segment the next value occupies in its container, advancing the array index.</summary>
    private static string? NextSegment(List<Frame> stack, ref string? pendingName)
    {
        if (stack.Count == 0) return null;
        var top = stack[^1];
        if (top.IsArray)
        {
            var segment = top.NextIndex < IndexSegments.Length
                ? IndexSegments[top.NextIndex]
                : "[" + top.NextIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
            top.NextIndex++;
            return segment;
        }
        var name = pendingName;
        pendingName = null;
        return name;
    }

    private static readonly string[] IndexSegments =
        Enumerable.Range(0, 1024).Select(i => "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]").ToArray();

    /// <summary>Path segments of unescaped property names, per document.</summary>
    private sealed class SegmentCache
    {
        private readonly Dictionary<int, (byte[] Raw, string Segment)> _byHash = [];

        public string SegmentOf(ReadOnlySpan<byte> raw)
        {
            var hash = new HashCode();
            hash.AddBytes(raw);
            var key = hash.ToHashCode();
            if (_byHash.TryGetValue(key, out var known) && raw.SequenceEqual(known.Raw)) return known.Segment;
            var segment = Segment(Encoding.UTF8.GetString(raw));
            if (_byHash.Count < 4096) _byHash[key] = (raw.ToArray(), segment);
            return segment;
        }
    }

    private static string PrefixOf(List<Frame> stack) => stack.Count == 0 ? "$" : stack[^1].Prefix;

    private static string Segment(string name)
    {
        var plain = name.Length > 0;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '$') continue;
            plain = false;
            break;
        }
        return plain ? "." + name : "['" + name.Replace("'", "\\'") + "']";
    }

    /// <summary>A container being read; its full path is computed once, not per value.</summary>
    private sealed class Frame(bool isArray, string prefix)
    {
        public bool IsArray { get; } = isArray;
        public string Prefix { get; } = prefix;
        public int NextIndex { get; set; }
    }
}
