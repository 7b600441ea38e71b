using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harness.VirtualDevice.Network;

/// <summary>
/// Renders sockets the way the Linux kernel prints /proc/net/tcp (tcp4_seq_show) and /proc/net/tcp6
/// (tcp6_seq_show): addresses as the in-memory (network-order) bytes read as little-endian 32-bit words in
/// hex, ports in plain hex, state as two hex digits. No I/O.
/// </summary>
public static class ProcNetTcpFormatter
{
    // The kernel pads every tcp4 line to TMPSZ - 1 = 149 characters.
    private const int Tcp4LineWidth = 149;

    private const string Tcp4Header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    private const string Tcp6Header = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    /// <summary>/proc/net/tcp: the IPv4 sockets among <paramref name="connections"/>.</summary>
    public static string FormatTcp(IEnumerable<PhoneTcpConnection> connections)
    {
        var text = new StringBuilder();
        text.Append(Tcp4Header.PadRight(Tcp4LineWidth)).Append('\n');
        var slot = 0;
        foreach (var connection in connections.Where(c => c.LocalEndPoint.AddressFamily == AddressFamily.InterNetwork))
        {
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"{slot,4}: {Ipv4Hex(connection.LocalEndPoint.Address)}:{connection.LocalEndPoint.Port:X4} {Ipv4Hex(connection.RemoteEndPoint.Address)}:{connection.RemoteEndPoint.Port:X4} {Tail(connection)}");
            text.Append(line.PadRight(Tcp4LineWidth)).Append('\n');
            slot++;
        }

        return text.ToString();
    }

    /// <summary>/proc/net/tcp6: the IPv6 sockets (including IPv4-mapped ones) among <paramref name="connections"/>.</summary>
    public static string FormatTcp6(IEnumerable<PhoneTcpConnection> connections)
    {
        var text = new StringBuilder();
        text.Append(Tcp6Header).Append('\n');
        var slot = 0;
        foreach (var connection in connections.Where(c => c.LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6))
        {
            text.Append(string.Create(
                CultureInfo.InvariantCulture,
                $"{slot,4}: {Ipv6Hex(connection.LocalEndPoint.Address)}:{connection.LocalEndPoint.Port:X4} {Ipv6Hex(connection.RemoteEndPoint.Address)}:{connection.RemoteEndPoint.Port:X4} {Tail(connection)}"));
            text.Append('\n');
            slot++;
        }

        return text.ToString();
    }

    /// <summary>The kernel's hex for an IPv4 address: 127.0.0.1 → "0100007F".</summary>
    public static string Ipv4Hex(IPAddress address)
    {
        var bytes = address.MapToIPv4().GetAddressBytes();
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes).ToString("X8", CultureInfo.InvariantCulture);
    }

    /// <summary>The kernel's hex for an IPv6 address: ::ffff:127.0.0.1 → "0000000000000000FFFF00000100007F".</summary>
    public static string Ipv6Hex(IPAddress address)
    {
        var bytes = (address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6() : address).GetAddressBytes();
        var text = new StringBuilder(32);
        for (var word = 0; word < 4; word++)
        {
            text.Append(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(word * 4, 4)).ToString("X8", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    // "st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode refcnt pointer rto ato quick/pingpong cwnd ssthresh",
    // with the values an idle established (or listening) socket shows on a phone with kptr_restrict on.
    private static string Tail(PhoneTcpConnection connection)
    {
        var listening = connection.State == PhoneTcpState.Listen;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{(int)connection.State:X2} 00000000:00000000 {(listening ? "00:00000000" : "02:000A7A2C")} 00000000 {connection.Uid,5} {0,8} {connection.Inode} 1 0000000000000000 {(listening ? 100 : 20)} {(listening ? 0 : 4)} {(listening ? 0 : 30)} 10 {(listening ? 0 : -1)}");
    }
}
