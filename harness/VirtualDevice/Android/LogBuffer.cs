using System.Threading.Channels;

namespace Harness.VirtualDevice.Android;

/// <summary>The phone's main log buffer: bounded, clearable, and followable by `logcat` without -d.</summary>
public sealed class LogBuffer(TimeProvider? clock = null, int capacity = 20_000)
{
    private readonly object _lock = new();
    private readonly LinkedList<LogEntry> _entries = new();
    private readonly List<ChannelWriter<LogEntry>> _followers = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public void Write(int pid, char priority, string tag, string message)
    {
        var entry = new LogEntry(_clock.GetUtcNow(), pid, pid, priority, tag, message);
        lock (_lock)
        {
            _entries.AddLast(entry);
            if (_entries.Count > capacity) _entries.RemoveFirst();
            foreach (var f in _followers) f.TryWrite(entry);
        }
    }

    public IReadOnlyList<LogEntry> Snapshot()
    {
        lock (_lock) return _entries.ToList();
    }

    public void Clear()
    {
        lock (_lock) _entries.Clear();
    }

    /// <summary>The current entries, then every new one until the token is cancelled.</summary>
    public async IAsyncEnumerable<LogEntry> FollowAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateUnbounded<LogEntry>();
        List<LogEntry> backlog;
        lock (_lock)
        {
            backlog = _entries.ToList();
            _followers.Add(channel.Writer);
        }
        try
        {
            foreach (var e in backlog) yield return e;
            while (true)
            {
                LogEntry next;
                try { next = await channel.Reader.ReadAsync(ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { yield break; }
                yield return next;
            }
        }
        finally
        {
            lock (_lock) _followers.Remove(channel.Writer);
        }
    }
}
