using System.Net;
using System.Net.Sockets;

namespace Harness.VirtualDevice.Android;

/// <summary>
/// The phone's socket table. In-phone code (apps, the network stack) registers each TCP connection it opens and disposes
/// the handle when it closes; /proc/net/tcp and /proc/net/tcp6 are rendered from it.
/// </summary>
public sealed class TcpConnectionRegistry
{
    private readonly object _lock = new();
    private readonly Dictionary<long, TcpConnectionEntry> _entries = new();
    private long _nextInode = 40_000;
    private int _nextEphemeralPort = 37_000;

    public IDisposable Register(IPEndPoint local, IPEndPoint remote, int uid, TcpConnectionState state = TcpConnectionState.Established)
    {
        long inode;
        lock (_lock)
        {
            inode = _nextInode++;
            _entries[inode] = new TcpConnectionEntry(local, remote, state, uid, inode);
        }
        return new Registration(this, inode);
    }

    /// <summary>A local port for an outgoing connection (32768-60999 like Linux).</summary>
    public int AllocateEphemeralPort()
    {
        lock (_lock)
        {
            var port = _nextEphemeralPort++;
            if (_nextEphemeralPort > 60_999) _nextEphemeralPort = 32_768;
            return port;
        }
    }

    public IReadOnlyList<TcpConnectionEntry> Snapshot()
    {
        lock (_lock) return _entries.Values.OrderBy(e => e.Inode).ToList();
    }

    public IReadOnlyList<TcpConnectionEntry> Snapshot(AddressFamily family) => Snapshot().Where(e => e.Local.AddressFamily == family).ToList();

    private void Remove(long inode)
    {
        lock (_lock) _entries.Remove(inode);
    }

    private sealed class Registration(TcpConnectionRegistry owner, long inode) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Remove(inode);
        }
    }
}
