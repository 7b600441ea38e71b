using System.Globalization;
using System.Net;
using Harness.Core;

namespace Harness.Leaks;

/// <summary>
/// Parses /proc/net/tcp, tcp6, udp and udp6 text (one table or several concatenated, as `cat` prints them). Addresses
/// are hex of the kernel's in-memory words: IPv4 is one little-endian 32-bit word, IPv6 four of them; ports are
/// big-endian hex. The columns up to uid are the same in all four; the header tells them apart: the UDP tables'
/// (udp4_seq_show, udp6_seq_show) end in "ref pointer drops", the TCP tables' in "inode".
/// </summary>
public static class ProcNetTcpParser
{
    private static readonly string[] States =
        ["", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"];

    public static IReadOnlyList<ProcNetTcpEntry> Parse(string text, string source = "/proc/net/tcp")
    {
        var entries = new List<ProcNetTcpEntry>();
        var lines = text.Split('\n');
        var transport = SocketTransport.Tcp;
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("sl", StringComparison.Ordinal))
            {
                transport = line.EndsWith("drops", StringComparison.Ordinal) ? SocketTransport.Udp : SocketTransport.Tcp;
                continue;
            }
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 4 || !parts[0].EndsWith(':'))
                throw new BadInputException("expected 'sl: local remote st …'", source, n + 1, 1, "line");
            var local = Endpoint(parts[1], source, n + 1);
            var remote = Endpoint(parts[2], source, n + 1);
            if (!int.TryParse(parts[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var st))
                throw new BadInputException($"bad state '{parts[3]}'", source, n + 1, 1, "st");
            var uid = parts.Length > 7 && int.TryParse(parts[7], NumberStyles.Integer, CultureInfo.InvariantCulture, out var u) ? u : -1;
            entries.Add(new ProcNetTcpEntry(local, remote, st < States.Length ? States[st] : $"0x{st:X2}", uid, transport));
        }
        return entries;
    }

    private static IPEndPoint Endpoint(string text, string source, int line)
    {
        var colon = text.IndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
            throw new BadInputException($"bad endpoint '{text}'", source, line, 1, "address");
        var hex = text[..colon];
        if (hex.Length is not (8 or 32)) throw new BadInputException($"bad address '{hex}'", source, line, 1, "address");
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            for (var b = 0; b < 4; b++)
            {
                // Each 32-bit word is printed as a number, i.e. its bytes reversed on little-endian machines.
                var pos = word * 8 + (3 - b) * 2;
                if (!byte.TryParse(hex.AsSpan(pos, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
                    throw new BadInputException($"bad address '{hex}'", source, line, 1, "address");
                bytes[word * 4 + b] = value;
            }
        }
        var address = new IPAddress(bytes);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return new IPEndPoint(address, port);
    }

    /// <summary>
    /// Established connections to anything but the proxy and loopback: traffic that bypassed the proxy.
    /// </summary>
    public static IReadOnlyList<UnaccountedConnection> Unaccounted(IEnumerable<(DateTimeOffset SampledAt, IReadOnlyList<ProcNetTcpEntry> Entries)> samples,
        IReadOnlyCollection<IPEndPoint> proxyEndpoints, IReadOnlySet<int>? uids = null)
    {
        var result = new Dictionary<IPEndPoint, UnaccountedConnection>();
        foreach (var (at, entries) in samples)
        {
            foreach (var e in entries)
            {
                if (!e.IsEstablished || IPAddress.IsLoopback(e.Remote.Address) || proxyEndpoints.Contains(e.Remote)) continue;
                if (uids is not null && !uids.Contains(e.Uid)) continue;
                result.TryAdd(e.Remote, new UnaccountedConnection(e.Remote, at, $"uid {e.Uid}"));
            }
        }
        return result.Values.ToList();
    }
}
