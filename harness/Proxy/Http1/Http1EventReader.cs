using System.Runtime.CompilerServices;

namespace Harness.Proxy.Http1;

/// <summary>
/// The I/O half around a sans-io parser: reads from a stream only when the parser has no events left, so at most one
/// read buffer of events is pending. Each read is bounded by <see cref="ReadTimeout"/>.
/// </summary>
internal sealed class Http1EventReader(Stream stream, Http1MessageParser parser, int bufferSize = 64 * 1024)
{
    private readonly Queue<Http1Event> _queue = new();
    private readonly List<Http1Event> _scratch = [];
    private readonly byte[] _buffer = new byte[bufferSize];
    private CancellationTokenSource? _timeout;

    public Http1MessageParser Parser => parser;
    public bool Eof { get; private set; }
    public TimeSpan ReadTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>The next event, or null when the peer closed cleanly or the parser paused (CONNECT, 101) or died.</summary>
    /// <remarks>Pooled: a read that waits would otherwise box a state machine, one or two per request (every caller awaits the result once).</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Http1Event?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_queue.TryDequeue(out var queued)) return queued;
            if (parser.IsPaused || parser.IsDead || Eof) return null;
            int n;
            if (ReadTimeout == Timeout.InfiniteTimeSpan)
            {
                n = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // One timeout source per reader, reset between reads: a read per TLS record is too frequent to allocate a linked source and timer each time.
                var timeout = _timeout;
                if (timeout is null || !timeout.TryReset())
                {
                    timeout?.Dispose();
                    timeout = _timeout = new CancellationTokenSource();
                }
                timeout.CancelAfter(ReadTimeout);
                using var stopping = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timeout);
                try
                {
                    n = await stream.ReadAsync(_buffer, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"no data for {ReadTimeout.TotalSeconds:0.#} s");
                }
                finally
                {
                    // Disarm: the reader is never disposed, and a closed connection must not leave a timer behind.
                    timeout.CancelAfter(Timeout.InfiniteTimeSpan);
                }
            }
            if (n == 0)
            {
                Eof = true;
                parser.FeedEof(_scratch);
            }
            else
            {
                parser.Feed(_buffer.AsSpan(0, n), _scratch);
            }
            foreach (var e in _scratch) _queue.Enqueue(e);
            _scratch.Clear();
        }
    }

    public void Resume()
    {
        parser.Resume(_scratch);
        foreach (var e in _scratch) _queue.Enqueue(e);
        _scratch.Clear();
    }

    /// <summary>Bytes after the paused message, for whoever takes the raw connection over.</summary>
    public byte[] TakeRemainder() => parser.TakeRemainder();
}
