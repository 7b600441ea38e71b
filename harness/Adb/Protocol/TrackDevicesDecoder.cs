namespace Harness.Adb.Protocol;

/// <summary>
/// Sans-io decoder of the `host:track-devices` stream (after its OKAY): a hex4-prefixed device list each time
/// anything changes. Feed it bytes as they arrive; it diffs each list against the previous one and returns events.
/// The first list reports every present device as Connected.
/// </summary>
public sealed class TrackDevicesDecoder
{
    private readonly List<byte> _pending = new();
    private Dictionary<string, DeviceData> _known = new(StringComparer.Ordinal);

    public IReadOnlyCollection<DeviceData> CurrentDevices => _known.Values;

    public IReadOnlyList<DeviceChange> Feed(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) _pending.Add(b);
        var changes = new List<DeviceChange>();
        while (true)
        {
            var buffer = _pending.ToArray();
            if (!HostProtocol.TryDecodeLengthPrefixed(buffer, out var body, out var consumed)) break;
            _pending.RemoveRange(0, consumed);
            changes.AddRange(Apply(DeviceListParser.Parse(body)));
        }
        return changes;
    }

    private IEnumerable<DeviceChange> Apply(IReadOnlyList<DeviceData> devices)
    {
        var next = new Dictionary<string, DeviceData>(StringComparer.Ordinal);
        foreach (var device in devices) next[device.Serial] = device;
        var changes = new List<DeviceChange>();
        foreach (var (serial, old) in _known)
            if (!next.ContainsKey(serial))
                changes.Add(new DeviceChange(DeviceChangeKind.Disconnected, old, old.State));
        foreach (var (serial, device) in next)
        {
            if (!_known.TryGetValue(serial, out var old))
                changes.Add(new DeviceChange(DeviceChangeKind.Connected, device));
            else if (old.State != device.State)
                changes.Add(new DeviceChange(DeviceChangeKind.StateChanged, device, old.State));
        }
        _known = next;
        return changes;
    }
}
