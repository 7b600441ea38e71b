namespace Harness.VirtualDevice.Android;

/// <summary>
/// adbd's reverse listeners: phone-side spec ("tcp:8888") → host-side spec ("tcp:9999"), each owned by the adb
/// transport that asked for it. Like adbd's, a listener belongs to its transport: it is listed, removed and dropped
/// with that transport only, so a phone reconnected to a new adb server never opens a reverse the server never made.
/// Thread-safe.
/// </summary>
public sealed class ReverseForwardTable
{
    private readonly object _lock = new();
    private readonly List<ReverseForward> _forwards = new();

    /// <returns>False when norebind was asked and the phone spec is already taken.</returns>
    public bool Add(string phoneSpec, string hostSpec, bool noRebind, object? owner = null)
    {
        lock (_lock)
        {
            var index = _forwards.FindIndex(f => f.PhoneSpec == phoneSpec);
            if (index >= 0)
            {
                if (noRebind) return false;
                _forwards[index] = new(phoneSpec, hostSpec, owner);
                return true;
            }
            _forwards.Add(new(phoneSpec, hostSpec, owner));
            return true;
        }
    }

    public bool Remove(string phoneSpec, object? owner = null)
    {
        lock (_lock) return _forwards.RemoveAll(f => f.PhoneSpec == phoneSpec && ReferenceEquals(f.Owner, owner)) > 0;
    }

    /// <summary>Drops the listeners of one transport (killforward-all, or the transport going away).</summary>
    public void Clear(object? owner = null)
    {
        lock (_lock) _forwards.RemoveAll(f => ReferenceEquals(f.Owner, owner));
    }

    /// <summary>Drops every listener, as an adbd restart does.</summary>
    public void ClearAll()
    {
        lock (_lock) _forwards.Clear();
    }

    public ReverseForward? Find(string phoneSpec)
    {
        lock (_lock) return _forwards.FirstOrDefault(f => f.PhoneSpec == phoneSpec);
    }

    public IReadOnlyList<KeyValuePair<string, string>> List(object? owner = null)
    {
        lock (_lock) return _forwards.Where(f => ReferenceEquals(f.Owner, owner)).Select(f => new KeyValuePair<string, string>(f.PhoneSpec, f.HostSpec)).ToList();
    }
}
