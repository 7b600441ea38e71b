using Harness.Flows;

namespace Harness.Proxy.Capture;

/// <summary>
/// Append-only JSON-lines file of completed flows (<c>flows.jsonl</c> in the store directory). Each flow is
/// written and flushed as it completes, so a killed process loses only the flows in flight; readers tolerate a
/// torn last line. Bodies arrive already cut at <see cref="MaxBodyBytes"/> by the proxy.
/// </summary>
public sealed class FlowStore : IAsyncDisposable, IDisposable
{
    public const string FileName = "flows.jsonl";
    public const long DefaultMaxBodyBytes = 4 * 1024 * 1024;

    private readonly FileStream _file;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private long _count;

    public FlowStore(string directory, long maxBodyBytes = DefaultMaxBodyBytes)
    {
        Directory.CreateDirectory(directory);
        DirectoryPath = directory;
        FilePath = Path.Combine(directory, FileName);
        MaxBodyBytes = maxBodyBytes;
        TruncateTornTail(FilePath);
        _file = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    public string DirectoryPath { get; }
    public string FilePath { get; }
    public long MaxBodyBytes { get; }
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Raised after a flow is on disk.</summary>
    public event Action<Flow>? Appended;

    public async Task AppendAsync(Flow flow, CancellationToken cancellationToken = default)
    {
        var line = FlowJson.SerializeToUtf8(flow);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _file.WriteAsync(line, CancellationToken.None).ConfigureAwait(false);
            _file.WriteByte((byte)'\n');
            await _file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
        Interlocked.Increment(ref _count);
        Appended?.Invoke(flow);
    }

    /// <summary>The current end of the store; flows appended after this call are after the mark.</summary>
    public FlowStoreMark Mark()
    {
        _writeLock.Wait();
        try { return new FlowStoreMark(_file.Position, DateTimeOffset.UtcNow); }
        finally { _writeLock.Release(); }
    }

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

    public void Dispose()
    {
        _file.Dispose();
        _writeLock.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
    }
}
