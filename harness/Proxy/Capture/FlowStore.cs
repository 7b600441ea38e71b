using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Harness.Flows;

namespace Harness.Proxy.Capture;

/// <summary>
/// Append-only JSON-lines file of completed flows (<c>flows.jsonl</c> in the store directory). Flows are handed to one
/// background writer through a bounded queue; it serialises whatever is queued straight into a reused buffer, writes the
/// batch and flushes it to the OS before it takes the next one, so a killed process loses only the flows in flight (queued
/// or being written), never one whose <see cref="AppendAsync"/> has returned. Disposing drains the queue first, so an
/// orderly stop loses nothing. Readers tolerate a torn last line. Bodies arrive already cut at <see cref="MaxBodyBytes"/> by the proxy.
/// </summary>
public sealed class FlowStore : IAsyncDisposable, IDisposable
{
    public const string FileName = "flows.jsonl";
    public const long DefaultMaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>Queued flows hold their bodies in memory, so the queue is short: a full queue makes producers wait.</summary>
    private const int QueueCapacity = 64;

    /// <summary>A batch is written out once this much is serialised, so one batch of big bodies does not grow the buffer without end.</summary>
    private const int WriteThresholdBytes = 1024 * 1024;

    private readonly FileStream _file;
    private readonly Channel<PendingFlow> _queue = Channel.CreateBounded<PendingFlow>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _writer;

    /// <summary>Bodies waiting in the queue are capped by bytes too, so a burst of big bodies cannot hold 64 × 2 × 4 MiB.</summary>
    private const long MaxQueuedBytes = 64 * 1024 * 1024;

    /// <summary>One producer at a time waits for byte room, so two big flows cannot each hold half of it and starve.</summary>
    private readonly SemaphoreSlim _admission = new(1, 1);
    private long _queuedBytes;
    private TaskCompletionSource _roomFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _durableEnd;
    private long _count;
    private int _disposed;

    public FlowStore(string directory, long maxBodyBytes = DefaultMaxBodyBytes)
    {
        Directory.CreateDirectory(directory);
        DirectoryPath = directory;
        FilePath = Path.Combine(directory, FileName);
        MaxBodyBytes = maxBodyBytes;
        TruncateTornTail(FilePath);
        // Unbuffered: the writer hands whole batches to the OS itself, so there is no second buffer to forget to flush.
        _file = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        _durableEnd = _file.Position;
        _writer = Task.Run(WriteLoopAsync);
    }

    public string DirectoryPath { get; }
    public string FilePath { get; }
    public long MaxBodyBytes { get; }
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Raised (on the writer) after a flow is on disk.</summary>
    public event Action<Flow>? Appended;

    /// <summary>Returns once the flow is written to the file (handed to the OS, so it survives a kill of this process).</summary>
    public async Task AppendAsync(Flow flow, CancellationToken cancellationToken = default)
    {
        var stored = await EnqueueAsync(flow, cancellationToken).ConfigureAwait(false);
        await stored.ConfigureAwait(false);
    }

    /// <summary>
    /// Queue a flow without waiting for the disk: completes when the queue has room (back-pressure), and yields the task
    /// that completes once the flow is on disk. The proxy uses this so a connection never waits for serialisation.
    /// </summary>
    internal async ValueTask<Task> EnqueueAsync(Flow flow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var pending = new PendingFlow(flow, QueuedCost(flow), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _admission.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                // Take the signal before reading the count: the writer lowers the count first and signals after.
                var roomFreed = Volatile.Read(ref _roomFreed).Task;
                var queued = Interlocked.Read(ref _queuedBytes);
                if (queued == 0 || queued + pending.Cost <= MaxQueuedBytes) break;
                await roomFreed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            Interlocked.Add(ref _queuedBytes, pending.Cost);
            try
            {
                await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
            {
                Interlocked.Add(ref _queuedBytes, -pending.Cost);
                if (e is ChannelClosedException) throw new ObjectDisposedException(nameof(FlowStore), "the flow store is closed");
                throw;
            }
        }
        finally
        {
            _admission.Release();
        }
        return pending.Stored.Task;
    }

    private static long QueuedCost(Flow flow) =>
        4096 + BodyBytes(flow.RequestBody) + BodyBytes(flow.ResponseBody) + flow.WebSocketMessages.Sum(m => (long)m.Data.Length);

    private static long BodyBytes(FlowBody? body) => body is null ? 0 : body.Raw.LongLength + (body.Decoded?.LongLength ?? 0);

    private async Task WriteLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(256 * 1024);
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = FlowJson.Options.Encoder, SkipValidation = true });
        var batch = new List<PendingFlow>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var pending))
            {
                var before = buffer.WrittenCount;
                try
                {
                    json.Reset(buffer);
                    FlowJson.Serialize(json, pending.Flow);
                    json.Flush();
                    buffer.Write("\n"u8);
                    batch.Add(pending);
                }
                catch (Exception e)
                {
                    // One flow that cannot be serialised must not take the others down; its writer learns why.
                    pending.Stored.TrySetException(e);
                    ReleaseRoom(pending.Cost);
                    WriteBatch(buffer, before, batch);
                    continue;
                }
                if (buffer.WrittenCount >= WriteThresholdBytes || batch.Count >= QueueCapacity) WriteBatch(buffer, buffer.WrittenCount, batch);
            }
            // The queue is empty: everything serialised so far goes to the OS now, not when more flows arrive.
            WriteBatch(buffer, buffer.WrittenCount, batch);
            if (buffer.Capacity > 16 * WriteThresholdBytes) buffer = new ArrayBufferWriter<byte>(256 * 1024);
        }
    }

    /// <summary>Write the first <paramref name="length"/> serialised bytes (the batch's lines), then settle each flow of the batch: stored, or failed with the I/O error.</summary>
    private void WriteBatch(ArrayBufferWriter<byte> buffer, int length, List<PendingFlow> batch)
    {
        if (batch.Count == 0)
        {
            buffer.ResetWrittenCount();
            return;
        }
        Exception? failure = null;
        try
        {
            _file.Write(buffer.WrittenSpan[..length]);
            _file.Flush();
            Volatile.Write(ref _durableEnd, _file.Position);
        }
        catch (Exception e)
        {
            // Disk full or the like: the flows of this batch fail loudly to whoever awaits them; later batches try again.
            failure = e;
        }
        buffer.ResetWrittenCount();
        foreach (var pending in batch)
        {
            if (failure is not null)
            {
                pending.Stored.TrySetException(failure);
                continue;
            }
            Interlocked.Increment(ref _count);
            pending.Stored.TrySetResult();
            try { Appended?.Invoke(pending.Flow); }
            catch (Exception) { /* a listener's bug must not stop the store */ }
        }
        ReleaseRoom(batch.Sum(p => p.Cost));
        batch.Clear();
    }

    /// <summary>Lower the queued byte count first, then wake a producer waiting for room.</summary>
    private void ReleaseRoom(long cost)
    {
        Interlocked.Add(ref _queuedBytes, -cost);
        Interlocked.Exchange(ref _roomFreed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>The current end of the store; flows appended after this call are after the mark.</summary>
    public FlowStoreMark Mark() => new(Volatile.Read(ref _durableEnd), DateTimeOffset.UtcNow);

    public List<Flow> ReadSince(FlowStoreMark mark) => FlowJson.ReadLines(FilePath, mark.Offset);

    /// <summary>Flows between two marks (a capture window).</summary>
    public List<Flow> ReadBetween(FlowStoreMark from, FlowStoreMark to)
    {
        var all = FlowJson.ReadLines(FilePath, from.Offset);
        // Offsets are exact for the start; for the end, completion order is file order, so count lines up to `to`.
        var end = ReadLineCountUpTo(to.Offset, from.Offset);
        return all.Take(end).ToList();
    }

    /// <summary>Flows that started in [from, to).</summary>
    public List<Flow> ReadByTime(DateTimeOffset from, DateTimeOffset to) =>
        ReadAll().Where(f => f.Timings.Start >= from && f.Timings.Start < to).ToList();

    public List<Flow> ReadAll() => FlowJson.ReadLines(FilePath);

    public static List<Flow> ReadDirectory(string directory) => FlowJson.ReadLines(Path.Combine(directory, FileName));

    private int ReadLineCountUpTo(long endOffset, long startOffset)
    {
        using var file = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        file.Seek(startOffset, SeekOrigin.Begin);
        var count = 0;
        var buffer = new byte[65536];
        var position = startOffset;
        int n;
        while (position < endOffset && (n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, endOffset - position))) > 0)
        {
            count += buffer.AsSpan(0, n).Count((byte)'\n');
            position += n;
        }
        return count;
    }

    /// <summary>A previous process killed mid-write leaves a line without its newline: cut it off so the next flow starts clean.</summary>
    private static void TruncateTornTail(string path)
    {
        if (!File.Exists(path)) return;
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        if (file.Length == 0) return;
        var position = file.Length;
        var buffer = new byte[4096];
        while (position > 0)
        {
            var n = (int)Math.Min(buffer.Length, position);
            file.Seek(position - n, SeekOrigin.Begin);
            file.ReadExactly(buffer, 0, n);
            var lastNewline = buffer.AsSpan(0, n).LastIndexOf((byte)'\n');
            if (lastNewline >= 0)
            {
                var keep = position - n + lastNewline + 1;
                if (keep != file.Length) file.SetLength(keep);
                return;
            }
            position -= n;
        }
        file.SetLength(0);
    }

    /// <summary>Stops taking flows, writes every queued one, then closes the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        _file.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }
}
