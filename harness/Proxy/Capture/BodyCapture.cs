using Harness.Flows;

namespace Harness.Proxy.Capture;

/// <summary>
/// Keeps the first <c>limit</c> bytes of a streamed body and counts the rest, so memory stays bounded
/// whatever the body size while the flow still records the true size.
/// </summary>
public sealed class BodyCapture(long limit)
{
    private readonly MemoryStream _kept = new();

    public long Size { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        Size += data.Length;
        var room = limit - _kept.Length;
        if (room > 0) _kept.Write(data[..(int)Math.Min(room, data.Length)]);
    }

    public FlowBody ToFlowBody(string? contentEncoding, string? contentType)
    {
        var raw = _kept.ToArray();
        var body = new FlowBody { Raw = raw, Size = Size, ContentEncoding = string.IsNullOrWhiteSpace(contentEncoding) ? null : contentEncoding, ContentType = contentType };
        if (raw.LongLength == Size) body.Decoded = ContentDecoder.TryDecode(raw, contentEncoding, Math.Max(limit, 1) * 4);
        return body;
    }
}
