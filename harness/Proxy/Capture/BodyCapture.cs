using Harness.Flows;

namespace Harness.Proxy.Capture;

/// <summary>
/// Keeps the first <c>limit</c> bytes of a streamed body and counts the rest, so memory stays bounded
/// whatever the body size while the flow still records the true size. When the size is announced up front
/// (<see cref="ExpectSize"/>) the kept bytes go straight into an array of the final size: one copy, no regrowth.
/// </summary>
public sealed class BodyCapture(long limit)
{
    private byte[] _kept = [];
    private int _length;

    public long Size { get; private set; }

    /// <summary>Content-Length is known: reserve exactly what will be kept (at most the limit).</summary>
    public void ExpectSize(long size)
    {
        var keep = (int)Math.Min(Math.Min(size, limit), Array.MaxLength);
        if (keep > _kept.Length) Grow(keep);
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        Size += data.Length;
        var room = limit - _length;
        if (room <= 0 || data.IsEmpty) return;
        var take = (int)Math.Min(room, data.Length);
        if (_length + take > _kept.Length)
        {
            // Unknown size: grow geometrically, never past the limit.
            var grown = Math.Max((long)_length + take, Math.Max(4096, (long)_kept.Length * 2));
            Grow((int)Math.Min(Math.Min(grown, limit), Array.MaxLength));
        }
        data[..take].CopyTo(_kept.AsSpan(_length));
        _length += take;
    }

    /// <summary>
    /// A larger array with the kept bytes copied over. Not zeroed: every byte past <c>_length</c> is written before it is
    /// read (and <see cref="ToFlowBody"/> copies out only the written part), and zeroing a 64 KiB array per response
    /// showed in the relay's profile.
    /// </summary>
    private void Grow(int capacity)
    {
        var larger = GC.AllocateUninitializedArray<byte>(capacity);
        _kept.AsSpan(0, _length).CopyTo(larger);
        _kept = larger;
    }

    public FlowBody ToFlowBody(string? contentEncoding, string? contentType)
    {
        var raw = _length == _kept.Length ? _kept : _kept.AsSpan(0, _length).ToArray();
        var body = new FlowBody { Raw = raw, Size = Size, ContentEncoding = string.IsNullOrWhiteSpace(contentEncoding) ? null : contentEncoding, ContentType = contentType };
        if (raw.LongLength == Size) body.Decoded = ContentDecoder.TryDecode(raw, contentEncoding, Math.Max(limit, 1) * 4);
        return body;
    }
}
