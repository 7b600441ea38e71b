namespace Harness.VirtualDevice.Android;

/// <summary>adbd's reverse listeners: phone-side spec ("tcp:8888") → host-side spec ("tcp:9999"). Thread-safe.</summary>
public sealed class ReverseForwardTable
{
    private readonly object _lock = new();
    private readonly List<KeyValuePair<string, string>> _forwards = new();

    /// <returns>False when norebind was asked and the phone spec is already taken.</returns>
    public bool Add(string phoneSpec, string hostSpec, bool noRebind)
    {
        lock (_lock)
        {
            var index = _forwards.FindIndex(f => f.Key == phoneSpec);
            if (index >= 0)
            {
                if (noRebind) return false;
                _forwards[index] = new(phoneSpec, hostSpec);
                return true;
            }
            _forwards.Add(new(phoneSpec, hostSpec));
            return true;
        }
    }

    public bool Remove(string phoneSpec)
    {
        lock (_lock) return _forwards.RemoveAll(f => f.Key == phoneSpec) > 0;
    }

    public void Clear()
    {
        lock (_lock) _forwards.Clear();
    }

    public string? Find(string phoneSpec)
    {
        lock (_lock) return _forwards.FirstOrDefault(f => f.Key == phoneSpec).Value;
    }

    public IReadOnlyList<KeyValuePair<string, string>> List()
    {
        lock (_lock) return _forwards.ToList();
    }
}
