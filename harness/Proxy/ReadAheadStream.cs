namespace Harness.Proxy;

/// <summary>
/// Sits under an <see cref="System.Net.Security.SslStream"/>: SslStream asks its inner stream for about one TLS record
/// at a time, so a 64 KiB response cost a receive call per 16 KiB record. Here each receive asks the socket for up to
/// <c>capacity</c> bytes and later reads are served from memory. A read still returns as soon as any bytes are there
/// (it never waits to fill the buffer), so nothing is delayed. Writes pass straight through.
/// </summary>
internal sealed class ReadAheadStream(Stream inner, int capacity = ReadAheadStream.DefaultCapacity) : ReadWrappingStream(inner)
{
    public const int DefaultCapacity = 64 * 1024;

    private byte[]? _buffer;
    private int _start;
    private int _end;

    /// <summary>Bytes received from the inner stream and not yet read.</summary>
    public int Buffered => _end - _start;

    public override int Read(Span<byte> destination)
    {
        if (destination.IsEmpty) return 0;
        if (Buffered > 0) return TakeBuffered(destination);
        if (destination.Length >= capacity) return Inner.Read(destination);
        var buffer = _buffer ??= new byte[capacity];
        var n = Inner.Read(buffer, 0, capacity);
        if (n == 0) return 0;
        _start = 0;
        _end = n;
        return TakeBuffered(destination);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty) return ValueTask.FromResult(0);
        if (Buffered > 0) return ValueTask.FromResult(TakeBuffered(destination.Span));
        if (destination.Length >= capacity) return Inner.ReadAsync(destination, cancellationToken);
        return FillAndReadAsync(destination, cancellationToken);
    }

    private async ValueTask<int> FillAndReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var buffer = _buffer ??= new byte[capacity];
        var n = await Inner.ReadAsync(buffer.AsMemory(0, capacity), cancellationToken).ConfigureAwait(false);
        if (n == 0) return 0;
        _start = 0;
        _end = n;
        return TakeBuffered(destination.Span);
    }

    private int TakeBuffered(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, Buffered);
        _buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        return n;
    }
}
