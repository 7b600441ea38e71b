using Harness.VirtualDevice.Network;
using System.Net;
using System.Net.Sockets;

namespace Harness.VirtualDevice.Android;

/// <summary>
/// One of the phone's socket tables. In-phone code (apps, the network stack) registers each socket it opens and disposes
/// the handle when it closes; /proc/net/tcp and tcp6 are rendered from the phone's TCP table, /proc/net/udp and udp6
/// from its UDP table (same columns; a connected UDP socket shows state 01, as the kernel prints TCP_ESTABLISHED).
/// </summary>
public sealed class TcpConnectionRegistry(TimeProvider? clock = null)
{
    private readonly object _lock = new();
    private readonly Dictionary<long, TcpConnectionEntry> _entries = new();
    private readonly Dictionary<long, DateTimeOffset> _timeWaitUntil = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>
    /// Closes a socket the phone closed first: like Linux, it stays listed in TIME_WAIT (state 06) for
    /// <paramref name="linger"/> (the kernel's 60 s, scaled by the phone's time factor), then disappears.
    /// </summary>
    public void MoveToTimeWait(IDisposable registration, TimeSpan linger)
    {
        if (registration is not Registration owned) { registration.Dispose(); return; }
        lock (_lock)
        {
            if (!_entries.TryGetValue(owned.Inode, out var entry)) return;
            _entries[owned.Inode] = entry with { State = PhoneTcpState.TimeWait, Uid = 0 };
            _timeWaitUntil[owned.Inode] = _clock.GetUtcNow() + linger;
        }
    }
    private long _nextInode = 40_000;
    private int _nextEphemeralPort = 37_000;

    public IDisposable Register(IPEndPoint local, IPEndPoint remote, int uid, PhoneTcpState state = PhoneTcpState.Established) =>
        Register(local, remote, uid, state, inode: null);

    /// <summary>Registers a socket whose inode the caller already chose (the network stack numbers its own sockets).</summary>
    public IDisposable Register(IPEndPoint local, IPEndPoint remote, int uid, PhoneTcpState state, long? inode)
    {
        long chosen;
        lock (_lock)
        {
            chosen = inode ?? _nextInode++;
            var inodeValue = chosen;
            _entries[inodeValue] = new TcpConnectionEntry(local, remote, state, uid, inodeValue);
        }
        return new Registration(this, chosen);
    }

    /// <summary>Registers a socket that closes by itself at <paramref name="until"/> unless <see cref="Extend"/> moves that on (a QUIC session's idle timeout).</summary>
    public IDisposable RegisterUntil(IPEndPoint local, IPEndPoint remote, int uid, DateTimeOffset until)
    {
        var registration = (Registration)Register(local, remote, uid, PhoneTcpState.Established, inode: null);
        lock (_lock) _timeWaitUntil[registration.Inode] = until;
        return registration;
    }

    /// <summary>Moves a self-closing socket's end on; false when it has already closed.</summary>
    public bool Extend(IDisposable registration, DateTimeOffset until)
    {
        if (registration is not Registration owned) return false;
        lock (_lock)
        {
            if (!_entries.ContainsKey(owned.Inode) || _timeWaitUntil.TryGetValue(owned.Inode, out var end) && end <= _clock.GetUtcNow()) return false;
            _timeWaitUntil[owned.Inode] = until;
            return true;
        }
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
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            foreach (var (inode, until) in _timeWaitUntil.Where(kv => kv.Value <= now).ToList())
            {
                _timeWaitUntil.Remove(inode);
                _entries.Remove(inode);
            }
            return _entries.Values.OrderBy(e => e.Inode).ToList();
        }
    }

    public IReadOnlyList<TcpConnectionEntry> Snapshot(AddressFamily family) => Snapshot().Where(e => e.Local.AddressFamily == family).ToList();

    private void Remove(long inode)
    {
        lock (_lock)
        {
            _entries.Remove(inode);
            _timeWaitUntil.Remove(inode);
        }
    }

    private sealed class Registration(TcpConnectionRegistry owner, long inode) : IDisposable
    {
        private int _disposed;
        public long Inode => inode;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Remove(inode);
        }
    }
}
