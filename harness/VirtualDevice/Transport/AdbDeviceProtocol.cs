using System.Text;

namespace Harness.VirtualDevice.Transport;

/// <summary>
/// Sans-io device side of the adb transport (adbd's role): CNXN handshake, stream multiplexing and adb 29 flow control
/// (at most one unacknowledged WRTE per stream in each direction). Messages in, events and messages out; no sockets.
/// Not thread-safe: the owner serialises calls.
/// </summary>
public sealed class AdbDeviceProtocol
{
    private readonly string _banner;
    private readonly uint _maxPayloadOffered;
    private readonly Dictionary<uint, AdbDeviceStreamState> _streams = new();
    private readonly List<AdbMessage> _outgoing = new();
    private uint _nextLocalId = 1;

    public AdbDeviceProtocol(string banner, uint maxPayload = AdbCommand.MaxPayload)
    {
        if (Encoding.UTF8.GetByteCount(banner) >= AdbCommand.MaxPayloadV1) throw new ArgumentException("the CNXN banner must fit in 4096 bytes", nameof(banner));
        _banner = banner;
        _maxPayloadOffered = Math.Min(maxPayload, AdbCommand.MaxPayload);
        MaxPayload = AdbCommand.MaxPayloadV1;
    }

    public bool IsOnline { get; private set; }
    public uint ProtocolVersion { get; private set; } = AdbCommand.VersionMin;
    /// <summary>Largest WRTE payload both sides accept (negotiated on CNXN).</summary>
    public uint MaxPayload { get; private set; }
    public int StreamCount => _streams.Count;

    public IReadOnlyList<AdbMessage> DrainOutgoing()
    {
        var result = _outgoing.ToArray();
        _outgoing.Clear();
        return result;
    }

    public long PendingBytes(uint localId) => _streams.TryGetValue(localId, out var s) ? s.PendingBytes : 0;
    public bool IsStreamOpen(uint localId) => _streams.ContainsKey(localId);

    public IReadOnlyList<AdbTransportEvent> Receive(AdbMessage message)
    {
        var events = new List<AdbTransportEvent>();
        switch (message.Command)
        {
            case AdbCommand.Cnxn:
                ProtocolVersion = Math.Min(message.Arg0, AdbCommand.VersionSkipChecksum);
                // A host announcing maxdata 0 would make every Write loop forever on empty chunks (found by fuzzing):
                // fall back to the size every adb version accepts.
                MaxPayload = message.Arg1 == 0 ? Math.Min(AdbCommand.MaxPayloadV1, _maxPayloadOffered) : Math.Min(message.Arg1, _maxPayloadOffered);
                IsOnline = true;
                _outgoing.Add(new AdbMessage(AdbCommand.Cnxn, AdbCommand.VersionSkipChecksum, _maxPayloadOffered, Encoding.UTF8.GetBytes(_banner)));
                events.Add(new HostConnected(ProtocolVersion, MaxPayload, Encoding.UTF8.GetString(message.Payload.Span).TrimEnd('\0')));
                break;
            case AdbCommand.Open when IsOnline:
                if (message.Arg0 == 0) break;
                var localId = _nextLocalId++;
                _streams[localId] = new AdbDeviceStreamState(localId, message.Arg0);
                events.Add(new StreamOpenRequested(localId, Encoding.UTF8.GetString(message.Payload.Span).TrimEnd('\0')));
                break;
            case AdbCommand.Okay when IsOnline:
                OnOkay(message.Arg0, message.Arg1, events);
                break;
            case AdbCommand.Wrte when IsOnline:
                if (_streams.TryGetValue(message.Arg1, out var target) && target.Established && target.RemoteId == message.Arg0)
                {
                    _outgoing.Add(new AdbMessage(AdbCommand.Okay, target.LocalId, target.RemoteId));
                    events.Add(new StreamDataReceived(target.LocalId, message.Payload.ToArray()));
                }
                break;
            case AdbCommand.Clse when IsOnline:
                // The host echoes CLSE for streams we already closed: unknown ids are ignored.
                if (_streams.TryGetValue(message.Arg1, out var closing) && (message.Arg0 == 0 || closing.RemoteId == 0 || closing.RemoteId == message.Arg0))
                {
                    _streams.Remove(closing.LocalId);
                    events.Add(closing.Established ? new StreamClosedByHost(closing.LocalId) : new StreamRefusedByHost(closing.LocalId));
                }
                break;
        }
        return events;
    }

    /// <summary>Answers a <see cref="StreamOpenRequested"/>: OKAY(local, remote).</summary>
    public void Accept(uint localId)
    {
        var s = _streams[localId];
        s.Established = true;
        _outgoing.Add(new AdbMessage(AdbCommand.Okay, s.LocalId, s.RemoteId));
        Pump(s);
    }

    /// <summary>Refuses a <see cref="StreamOpenRequested"/>: CLSE(0, remote), which the host reports as "closed".</summary>
    public void Refuse(uint localId)
    {
        if (!_streams.Remove(localId, out var s)) return;
        _outgoing.Add(new AdbMessage(AdbCommand.Clse, 0, s.RemoteId));
    }

    /// <summary>Device-initiated stream (reverse forwarding): OPEN(local, 0, "service\0").</summary>
    public uint OpenToHost(string service)
    {
        if (!IsOnline) throw new InvalidOperationException("the transport is not online");
        var localId = _nextLocalId++;
        _streams[localId] = new AdbDeviceStreamState(localId, 0) { OpenedByDevice = true };
        _outgoing.Add(new AdbMessage(AdbCommand.Open, localId, 0, Encoding.UTF8.GetBytes(service + "\0")));
        return localId;
    }

    public void Write(uint localId, ReadOnlySpan<byte> data)
    {
        if (!_streams.TryGetValue(localId, out var s) || s.CloseRequested) throw new InvalidOperationException($"stream {localId} is closed");
        for (var offset = 0; offset < data.Length; offset += (int)MaxPayload)
        {
            var chunk = data.Slice(offset, Math.Min((int)MaxPayload, data.Length - offset)).ToArray();
            s.Pending.Enqueue(chunk);
            s.PendingBytes += chunk.Length;
        }
        Pump(s);
    }

    /// <summary>Closes after everything queued has been acknowledged, so the host delivers it all before the close.</summary>
    public void Close(uint localId)
    {
        if (!_streams.TryGetValue(localId, out var s)) return;
        s.CloseRequested = true;
        Pump(s);
    }

    /// <summary>Forgets every stream without telling the host (the TCP link is gone).</summary>
    public void Reset()
    {
        _streams.Clear();
        IsOnline = false;
        _outgoing.Clear();
    }

    private void OnOkay(uint remoteId, uint localId, List<AdbTransportEvent> events)
    {
        if (!_streams.TryGetValue(localId, out var s)) return;
        if (s.OpenedByDevice && !s.Established)
        {
            s.RemoteId = remoteId;
            s.Established = true;
            events.Add(new StreamAcceptedByHost(localId));
            Pump(s);
            return;
        }
        if (s.RemoteId != remoteId || !s.AwaitingAck) return;
        s.AwaitingAck = false;
        events.Add(new StreamAcknowledged(localId));
        Pump(s);
    }

    private void Pump(AdbDeviceStreamState s)
    {
        if (!s.Established || s.AwaitingAck) return;
        if (s.Pending.Count > 0)
        {
            var chunk = s.Pending.Dequeue();
            s.PendingBytes -= chunk.Length;
            s.AwaitingAck = true;
            _outgoing.Add(new AdbMessage(AdbCommand.Wrte, s.LocalId, s.RemoteId, chunk));
            return;
        }
        if (s.CloseRequested)
        {
            _streams.Remove(s.LocalId);
            _outgoing.Add(new AdbMessage(AdbCommand.Clse, s.LocalId, s.RemoteId));
        }
    }
}
