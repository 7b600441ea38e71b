using System.Net.Sockets;
using Harness.Proxy.Http2;

namespace Harness.Proxy.Http2Proxy;

/// <summary>
/// An I/O-free <see cref="Http2Connection"/> joined to the stream it speaks over, for a pump with several tasks: every
/// access to the connection's state is under one lock, and its output is written in the order it was produced.
/// </summary>
internal sealed class Http2Wire(Http2Connection connection, Stream stream, Func<Exception, Exception>? writeFailure = null) : IDisposable
{
    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);

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
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            byte[] output;
            lock (_sync)
            {
                change(connection);
                output = connection.PendingOutputLength == 0 ? [] : connection.TakeOutput();
            }
            if (output.Length == 0) return;
            try
            {
                await stream.WriteAsync(output, ct).ConfigureAwait(false);
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
