namespace Harness.Proxy;

/// <summary>Replays bytes already read (a peeked ClientHello, parser leftovers) before reading the inner stream.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream inner) : ReadWrappingStream(inner)
{
    private int _offset;

    public override int Read(Span<byte> buffer)
    {
        if (_offset < prefix.Length)
        {
            var n = Math.Min(buffer.Length, prefix.Length - _offset);
            prefix.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }
        return Inner.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset < prefix.Length) return ValueTask.FromResult(Read(buffer.Span));
        return Inner.ReadAsync(buffer, cancellationToken);
    }
}
