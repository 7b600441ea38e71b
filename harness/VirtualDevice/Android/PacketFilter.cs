namespace Harness.VirtualDevice.Android;

/// <summary>
/// The filter table of one address family (iptables for IPv4, ip6tables for IPv6) as the virtual kernel keeps it:
/// built-in chains with their policy, user chains, rules in order. OUTPUT starts as netd leaves it on a real phone
/// (jumps to its oem_out, fw_OUTPUT, st_OUTPUT and bw_OUTPUT chains). The phone's network stack asks
/// <see cref="DropsOutgoing"/> before a datagram leaves, so a rule the harness adds over adb is what the apps meet.
/// Thread-safe.
/// </summary>
public sealed class PacketFilter
{
    public static readonly IReadOnlyList<string> BuiltInChains = ["INPUT", "FORWARD", "OUTPUT"];
    private static readonly string[] NetdOutputChains = ["oem_out", "fw_OUTPUT", "st_OUTPUT", "bw_OUTPUT"];

    private readonly object _lock = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, List<PacketFilterRule>> _chains = new(StringComparer.Ordinal);

    public PacketFilter()
    {
        foreach (var chain in BuiltInChains.Concat(NetdOutputChains)) Add(chain);
        foreach (var chain in NetdOutputChains) _chains["OUTPUT"].Add(new PacketFilterRule(null, null, null, null, chain));
    }

    private void Add(string chain)
    {
        _order.Add(chain);
        _chains[chain] = [];
    }

    public bool HasChain(string chain)
    {
        lock (_lock) return _chains.ContainsKey(chain);
    }

    /// <summary>-N: false when the chain exists.</summary>
    public bool CreateChain(string chain)
    {
        lock (_lock)
        {
            if (_chains.ContainsKey(chain)) return false;
            Add(chain);
            return true;
        }
    }

    /// <summary>-X: null on success, else the kernel's complaint.</summary>
    public string? DeleteChain(string chain)
    {
        lock (_lock)
        {
            if (!_chains.TryGetValue(chain, out var rules) || BuiltInChains.Contains(chain)) return "No chain/target/match by that name.";
            if (_chains.Values.Any(r => r.Any(rule => rule.Target == chain))) return "Too many links.";
            if (rules.Count > 0) return "Directory not empty.";
            _chains.Remove(chain);
            _order.Remove(chain);
            return null;
        }
    }

    /// <summary>-F: false when the chain does not exist.</summary>
    public bool Flush(string chain)
    {
        lock (_lock)
        {
            if (!_chains.TryGetValue(chain, out var rules)) return false;
            rules.Clear();
            return true;
        }
    }

    /// <summary>-A (position null) or -I (1-based position): null on success, else the complaint.</summary>
    public string? Insert(string chain, PacketFilterRule rule, int? position)
    {
        lock (_lock)
        {
            if (!_chains.TryGetValue(chain, out var rules) || !(rule.Target is "ACCEPT" or "DROP" or "REJECT" or "RETURN" || _chains.ContainsKey(rule.Target)))
                return "No chain/target/match by that name.";
            if (position is { } p)
            {
                if (p < 1 || p > rules.Count + 1) return "Index of insertion too big.";
                rules.Insert(p - 1, rule);
            }
            else rules.Add(rule);
            return null;
        }
    }

    /// <summary>-C: the rule is in the chain.</summary>
    public bool Contains(string chain, PacketFilterRule rule)
    {
        lock (_lock) return _chains.TryGetValue(chain, out var rules) && rules.Contains(rule);
    }

    /// <summary>-D: removes the first equal rule; false when there is none.</summary>
    public bool Delete(string chain, PacketFilterRule rule)
    {
        lock (_lock) return _chains.TryGetValue(chain, out var rules) && rules.Remove(rule);
    }

    /// <summary>`-S [CHAIN]` output; null when the chain does not exist.</summary>
    public string? List(string? chain)
    {
        lock (_lock)
        {
            if (chain is not null && !_chains.ContainsKey(chain)) return null;
            var chains = chain is null ? _order : [chain];
            var lines = new List<string>();
            foreach (var c in chains) lines.Add(BuiltInChains.Contains(c) ? $"-P {c} ACCEPT" : $"-N {c}");
            foreach (var c in chains) lines.AddRange(_chains[c].Select(r => $"-A {c} {r.Spec}"));
            return string.Concat(lines.Select(l => l + "\n"));
        }
    }

    /// <summary>Whether a packet the phone sends (protocol "udp"/"tcp", destination port, owner uid) is dropped in OUTPUT.</summary>
    public bool DropsOutgoing(string protocol, int destinationPort, int uid)
    {
        lock (_lock) return Walk("OUTPUT", protocol, destinationPort, uid, depth: 0) is "DROP" or "REJECT";
    }

    private string? Walk(string chain, string protocol, int port, int uid, int depth)
    {
        if (depth > 16 || !_chains.TryGetValue(chain, out var rules)) return null;
        foreach (var rule in rules)
        {
            if (!rule.Matches(protocol, port, uid)) continue;
            switch (rule.Target)
            {
                case "ACCEPT" or "DROP" or "REJECT": return rule.Target;
                case "RETURN": return null;
                default:
                    if (Walk(rule.Target, protocol, port, uid, depth + 1) is { } verdict) return verdict;
                    break;
            }
        }
        return null;
    }
}
