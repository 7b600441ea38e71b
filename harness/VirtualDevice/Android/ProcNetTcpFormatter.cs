using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harness.VirtualDevice.Android;

/// <summary>Renders sockets in the kernel's /proc/net/tcp, tcp6, udp and udp6 formats (addresses as host-order hex words).</summary>
public static class ProcNetTcpFormatter
{
    public const string Tcp4Header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
    public const string Tcp6Header = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    public static string Format(IReadOnlyList<TcpConnectionEntry> entries, AddressFamily family)
    {
        var sb = new StringBuilder();
        sb.Append(family == AddressFamily.InterNetworkV6 ? Tcp6Header : Tcp4Header).Append('\n');
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            sb.Append($"{i,4}: {Address(e.Local, family)} {Address(e.Remote, family)} {(int)e.State:X2} 00000000:00000000 00:00000000 00000000 {e.Uid,5}        0 {e.Inode} 1 0000000000000000 20 4 30 10 -1\n");
        }
        return sb.ToString();
    }

    // udp4_seq_show pads the header and every line to 127 characters; udp6 does not pad.
    private const int Udp4LineWidth = 127;
    public const string Udp4Header = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops";
    public const string Udp6Header = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops";

    /// <summary>
    /// /proc/net/udp or udp6: "sl" is the socket's hash bucket (%5d), state 01 a connected socket, 07 an unconnected
    /// one; the columns after inode are ref, pointer (zero with kptr_restrict) and drops.
    /// </summary>
    public static string FormatUdp(IReadOnlyList<TcpConnectionEntry> entries, AddressFamily family)
    {
        var v6 = family == AddressFamily.InterNetworkV6;
        var sb = new StringBuilder();
        sb.Append(v6 ? Udp6Header : Udp4Header.PadRight(Udp4LineWidth)).Append('\n');
        foreach (var e in entries)
        {
            var line = $"{e.Local.Port % 128,5}: {Address(e.Local, family)} {Address(e.Remote, family)} {(int)e.State:X2} 00000000:00000000 00:00000000 00000000 {e.Uid,5}        0 {e.Inode} 2 0000000000000000 0";
            sb.Append(v6 ? line : line.PadRight(Udp4LineWidth)).Append('\n');
        }
        return sb.ToString();
    }

    public static string Address(IPEndPoint endpoint, AddressFamily family)
    {
        var address = endpoint.Address;
        if (family == AddressFamily.InterNetworkV6 && address.AddressFamily == AddressFamily.InterNetwork) address = address.MapToIPv6();
        var bytes = address.GetAddressBytes();
        var sb = new StringBuilder();
        // The kernel prints each 32-bit word of the address in host (little-endian) byte order.
        for (var w = 0; w < bytes.Length; w += 4) sb.Append(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(w, 4)).ToString("X8"));
        return $"{sb}:{endpoint.Port:X4}";
    }
}
