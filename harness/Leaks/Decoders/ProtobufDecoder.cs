namespace Harness.Leaks;

/// <summary>
/// Protobuf without a schema: a buffer that parses completely as a message yields its length-delimited fields
/// (strings, bytes, nested messages). Requiring the whole buffer to parse keeps random binary from passing.
/// </summary>
public static class ProtobufDecoder
{
    public static List<(int Field, ReadOnlyMemory<byte> Content)>? TryParse(ReadOnlyMemory<byte> data)
    {
        var s = data.Span;
        var fields = new List<(int, ReadOnlyMemory<byte>)>();
        var i = 0;
        while (i < s.Length)
        {
            if (!TryVarint(s, ref i, out var tag)) return null;
            var field = tag >> 3;
            if (field == 0 || field > 536_870_911) return null;
            switch ((int)(tag & 7))
            {
                case 0:
                    if (!TryVarint(s, ref i, out _)) return null;
                    break;
                case 1:
                    i += 8;
                    break;
                case 5:
                    i += 4;
                    break;
                case 2:
                    if (!TryVarint(s, ref i, out var length) || length > (ulong)(s.Length - i)) return null;
                    fields.Add(((int)field, data.Slice(i, (int)length)));
                    i += (int)length;
                    break;
                default:
                    return null;
            }
            if (i > s.Length) return null;
        }
        return fields.Count > 0 ? fields : null;
    }

    private static bool TryVarint(ReadOnlySpan<byte> s, ref int i, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (i >= s.Length) return false;
            var b = s[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }
}
