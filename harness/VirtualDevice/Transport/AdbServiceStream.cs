using System.Threading.Channels;

namespace Harness.VirtualDevice.Transport;

/// <summary>
/// One adb stream seen as a duplex <see cref="Stream"/>: reads return what the host wrote (0 once the host closed),
/// writes are queued on the transport and wait while too much is unacknowledged.
/// </summary>
public sealed class AdbServiceStream : Stream
{
    private const long BackpressureLimit = 256 * 1024;
    private readonly AdbDeviceConnection _connection;
    private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _acked = new(0);
    private ReadOnlyMemory<byte> _current;
    private readonly CancellationTokenSource _hostClosed = new();
    private int _closed;

    internal AdbServiceStream(AdbDeviceConnection connection, uint localId)
    {
        _connection = connection;
        LocalId = localId;
    }

    public uint LocalId { get; }

    /// <summary>The transport this stream runs on (what owns an `adb reverse` made through it).</summary>
    internal AdbDeviceConnection Connection => _connection;
    public bool ClosedByHost { get; private set; }
    /// <summary>Cancelled when the host closes the stream (e.g. Ctrl+C on `adb shell logcat`).</summary>
    public CancellationToken HostClosed => _hostClosed.Token;

    internal void OnData(byte[] data) => _incoming.Writer.TryWrite(data);
    internal void OnAcknowledged() => _acked.Release();

    internal void OnClosedByHost()
    {
        ClosedByHost = true;
        _incoming.Writer.TryComplete();
        _acked.Release();
        try { _hostClosed.Cancel(); } catch (ObjectDisposedException) { }
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_current.IsEmpty)
        {
            if (!await _incoming.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) return 0;
            if (_incoming.Reader.TryRead(out var next)) _current = next;
        }
        var n = Math.Min(buffer.Length, _current.Length);
        _current[..n].CopyTo(buffer);
        _current = _current[n..];
        return n;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return;
        if (ClosedByHost || _closed != 0) throw new IOException("the adb stream is closed");
        await _connection.WriteStreamAsync(LocalId, buffer, cancellationToken).ConfigureAwait(false);
        while (await _connection.PendingBytesAsync(LocalId, cancellationToken).ConfigureAwait(false) > BackpressureLimit)
        {
            if (ClosedByHost) throw new IOException("the adb stream was closed by the host");
            await _acked.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Flushes queued data then sends CLSE.</summary>
    public async ValueTask CloseStreamAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _incoming.Writer.TryComplete();
        if (!ClosedByHost) await _connection.CloseStreamAsync(LocalId).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) CloseStreamAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseStreamAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
