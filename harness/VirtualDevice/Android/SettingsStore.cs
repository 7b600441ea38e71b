namespace Harness.VirtualDevice.Android;

/// <summary>`settings` namespaces global, secure and system. Thread-safe.</summary>
public sealed class SettingsStore
{
    public static readonly IReadOnlyList<string> Namespaces = ["global", "secure", "system"];
    private readonly object _lock = new();
    private readonly Dictionary<string, Dictionary<string, string>> _tables = Namespaces.ToDictionary(n => n, _ => new Dictionary<string, string>(StringComparer.Ordinal));

    public event Action<string, string, string?>? Changed;

    public string? Get(string ns, string key)
    {
        lock (_lock) return _tables[ns].TryGetValue(key, out var v) ? v : null;
    }

    public void Put(string ns, string key, string value)
    {
        lock (_lock) _tables[ns][key] = value;
        Changed?.Invoke(ns, key, value);
    }

    public bool Delete(string ns, string key)
    {
        bool removed;
        lock (_lock) removed = _tables[ns].Remove(key);
        if (removed) Changed?.Invoke(ns, key, null);
        return removed;
    }

    public IReadOnlyList<KeyValuePair<string, string>> List(string ns)
    {
        lock (_lock) return _tables[ns].OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
    }
}
