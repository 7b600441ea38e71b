using System.Buffers;

namespace Harness.Proxy;

/// <summary>
/// Sits under the client-side <see cref="System.Net.Security.SslStream"/>: SslStream hands every TLS record (at most
/// 16 KiB of plaintext) to its inner stream as a separate write, so a 64 KiB response cost five send calls (head plus
/// four records); coalesced it costs one. With <see cref="Coalescing"/> on, writes collect in one buffer and go out together at
/// <see cref="FlushAsync(CancellationToken)"/>, when the buffer is full, or at disposal; reads pass straight through.
/// Whoever writes must flush whenever the peer may be waiting (the relay flushes before it waits on the origin).
/// Off (the default) it is a plain pass-through, so the TLS handshake, whose writes SslStream may not flush, is unchanged.
/// The buffer is rented only while it holds bytes, so an idle connection holds none.
/// </summary>
internal sealed class WriteCoalescingStream(Stream inner, int capacity = WriteCoalescingStream.DefaultCapacity) : Stream
{
    /// <summary>A 64 KiB body is four full TLS records plus the head's: with room for all of them it leaves in one send.</summary>
    public const int DefaultCapacity = 128 * 1024;

    private byte[]? _buffer;
    private int _count;
    // A send still reading the buffer: disposal must not hand the buffer to another connection under it.
    private bool _sending;

    /// <summary>Collect writes until flushed. Turning it off does not flush: call <see cref="FlushAsync(CancellationToken)"/>.</summary>
    public bool Coalescing { get; set; }

    /// <summary>Bytes written and not yet handed to the inner stream.</summary>
    public int Buffered => _count;

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => inner.Read(buffer);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!Coalescing && _count == 0)
        {
            inner.Write(buffer);
            return;
        }
        if (_count + buffer.Length > capacity) WriteBuffered();
        if (buffer.Length >= capacity)
        {
            inner.Write(buffer);
            return;
        }
        buffer.CopyTo(Buffer().AsSpan(_count));
        _count += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!Coalescing && _count == 0) return inner.WriteAsync(buffer, cancellationToken);
        if (_count + buffer.Length <= capacity && buffer.Length < capacity)
        {
            buffer.Span.CopyTo(Buffer().AsSpan(_count));
            _count += buffer.Length;
            return ValueTask.CompletedTask;
        }
        return WriteSlowAsync(buffer, cancellationToken);
    }

    private async ValueTask WriteSlowAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await WriteBufferedAsync(cancellationToken).ConfigureAwait(false);
        if (buffer.Length >= capacity || !Coalescing)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }
        buffer.Span.CopyTo(Buffer().AsSpan());
        _count = buffer.Length;
    }

    public override void Flush()
    {
        WriteBuffered();
        inner.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await WriteBufferedAsync(cancellationToken).ConfigureAwait(false);
        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private byte[] Buffer() => _buffer ??= ArrayPool<byte>.Shared.Rent(capacity);

    private void ReturnBuffer()
    {
        if (_buffer is null || _sending) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }

    private void WriteBuffered()
    {
        if (_count == 0) return;
        var n = _count;
        _count = 0;
        try { inner.Write(_buffer!, 0, n); }
        finally { ReturnBuffer(); }
    }

    private async ValueTask WriteBufferedAsync(CancellationToken cancellationToken)
    {
        if (_count == 0) return;
        var n = _count;
        // Cleared first: if the send fails the connection is dead, and nothing must be sent twice.
        _count = 0;
        _sending = true;
        try { await inner.WriteAsync(_buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false); }
        finally
        {
            _sending = false;
            ReturnBuffer();
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Best effort: the last bytes (a TLS close or the tail of a response) still go out; a dead peer is no error here.
            try { WriteBuffered(); }
            catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException) { }
            _count = 0;
            ReturnBuffer();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        try { await WriteBufferedAsync(CancellationToken.None).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException) { }
        _count = 0;
        ReturnBuffer();
        await inner.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
