using System.Buffers;
using System.Net.Sockets;
using Harness.Proxy.Http2;

namespace Harness.Proxy.Http2Proxy;

/// <summary>
/// An I/O-free <see cref="Http2Connection"/> joined to the stream it speaks over, for a pump with several tasks: every
/// access to the connection's state is under one lock, and its output is written in the order it was produced.
/// </summary>
/// <remarks>
/// Writes are group-committed: a change is applied at once, then whoever holds the write turn sends everything the
/// connection has produced so far in one write and one flush. With 16 streams relaying at once, the frames that
/// several streams queued while a write was on the wire leave together (one TLS write, one send) instead of one
/// write and flush per frame. A caller returns only after a write that carried its frames has finished, so a caller
/// that closes the stream next never cuts its own frames off.
/// </remarks>
internal sealed class Http2Wire(Http2Connection connection, Stream stream, Func<Exception, Exception>? writeFailure = null) : IDisposable
{
    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    // Only touched by the holder of the write turn; reused so a batch of DATA frames allocates nothing.
    private readonly ArrayBufferWriter<byte> _sending = new(64 * 1024);

    /// <summary>Bytes received: the events they complete are appended.</summary>
    public void Feed(ReadOnlySpan<byte> data, List<Http2Event> events)
    {
        lock (_sync) connection.Feed(data, events);
    }

    public void FeedEof(List<Http2Event> events)
    {
        lock (_sync) connection.FeedEof(events);
    }

    public T Read<T>(Func<Http2Connection, T> read)
    {
        lock (_sync) return read(connection);
    }

    /// <summary>Change the connection (submit, send data, reset, consume) and write what it produced; no change just writes.</summary>
    public async Task SubmitAsync(Action<Http2Connection> change, CancellationToken ct)
    {
        lock (_sync) change(connection);
        // Our frames are in the output now: the holder of the write turn may take them with its own. Waiting for the
        // turn means waiting for that write to finish; whatever is left afterwards (ours included) is ours to send.
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            lock (_sync)
            {
                if (connection.PendingOutputLength == 0) return;
                _sending.ResetWrittenCount();
                connection.TakeOutput(_sending);
            }
            try
            {
                await stream.WriteAsync(_sending.WrittenMemory, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (writeFailure is not null && e is IOException or SocketException or ObjectDisposedException)
            {
                throw writeFailure(e);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose() => _writeGate.Dispose();
}
