using System.Net;
using System.Net.Sockets;
using Harness.VirtualDevice.Android;

namespace Harness.VirtualDevice.Tests.Unit;

/// <summary>
/// iptables/ip6tables on the virtual phone behave as on a real one: refused without root (exit 3, iptables' own
/// words), rules listed back by -S with the implicit "-m udp", -C/-D/-X answering as the kernel does, and the kernel
/// honouring a UDP 443 drop for one uid. /proc/net/udp is in the kernel's format, read back by the harness's parser.
/// </summary>
public sealed class FirewallCommandsTests
{
    private const string Rule = "-p udp --dport 443 -m owner --uid-owner 10123 -m comment --comment harness-quic-block -j DROP";

    [Test]
    public async Task Without_root_iptables_cannot_open_the_table()
    {
        var r = await PhoneShell.Create("Mi 10").RunAsync("iptables -w -S");
        Assert.That(r.Exit, Is.EqualTo(3));
        Assert.That(r.Err, Does.StartWith("iptables v1.8.7 (legacy): can't initialize iptables table `filter': Permission denied (you must be root)"));
        Assert.That((await PhoneShell.Create("Redmi Note 8").RunAsync("su -c 'iptables -S'")).Exit, Is.EqualTo(127), "an unrooted phone has no su");
    }

    [Test]
    public async Task A_chain_and_a_uid_rule_are_added_listed_checked_and_removed_as_root()
    {
        var sh = PhoneShell.Create("Mi 10");
        Assert.That((await sh.RunAsync("iptables -w -N harness_quic", root: true)).Exit, Is.Zero);
        Assert.That((await sh.RunAsync("iptables -w -N harness_quic", root: true)).Err, Is.EqualTo("iptables: Chain already exists.\n"));
        Assert.That((await sh.RunAsync("iptables -w -C OUTPUT -j harness_quic", root: true)).Exit, Is.EqualTo(1));
        Assert.That((await sh.RunAsync($"iptables -w -I OUTPUT 1 -j harness_quic; iptables -w -A harness_quic {Rule}", root: true)).Exit, Is.Zero);
        Assert.That((await sh.RunAsync($"iptables -w -C harness_quic {Rule}", root: true)).Exit, Is.Zero);

        var listed = (await sh.RunAsync("iptables -S", root: true)).Out.Split('\n');
        Assert.That(listed, Does.Contain("-P OUTPUT ACCEPT").And.Contain("-N harness_quic").And.Contain("-A OUTPUT -j fw_OUTPUT"));
        Assert.That(listed, Does.Contain("-A OUTPUT -j harness_quic"));
        Assert.That(Array.IndexOf(listed, "-A OUTPUT -j harness_quic"), Is.LessThan(Array.IndexOf(listed, "-A OUTPUT -j oem_out")), "inserted first");
        Assert.That(listed, Does.Contain("-A harness_quic -p udp -m udp --dport 443 -m owner --uid-owner 10123 -m comment --comment harness-quic-block -j DROP"));

        Assert.That(sh.Android.Firewall.DropsOutgoing("udp", 443, 10123), Is.True);
        Assert.That(sh.Android.Firewall.DropsOutgoing("tcp", 443, 10123), Is.False, "TCP stays open: the fallback");
        Assert.That(sh.Android.Firewall.DropsOutgoing("udp", 443, 10124), Is.False, "another app");
        Assert.That(sh.Android.Firewall6.DropsOutgoing("udp", 443, 10123), Is.False, "ip6tables is a table of its own");

        Assert.That((await sh.RunAsync("iptables -w -X harness_quic", root: true)).Err, Is.EqualTo("iptables: Too many links.\n"), "still jumped to");
        Assert.That((await sh.RunAsync("iptables -w -D OUTPUT -j harness_quic; iptables -w -X harness_quic", root: true)).Err, Is.EqualTo("iptables: Directory not empty.\n"));
        Assert.That((await sh.RunAsync("iptables -w -F harness_quic && iptables -w -X harness_quic", root: true)).Exit, Is.Zero);
        Assert.That((await sh.RunAsync("iptables -S harness_quic", root: true)).Err, Is.EqualTo("iptables: No chain/target/match by that name.\n"));
        Assert.That((await sh.RunAsync("iptables -S", root: true)).Out, Does.Not.Contain("harness_quic"));
        Assert.That(sh.Android.Firewall.DropsOutgoing("udp", 443, 10123), Is.False);
    }

    [Test]
    public async Task Dport_without_a_protocol_is_refused_like_iptables()
    {
        var r = await PhoneShell.Create("Mi 10").RunAsync("iptables -A OUTPUT --dport 443 -j DROP", root: true);
        Assert.That(r.Exit, Is.EqualTo(2));
        Assert.That(r.Err, Does.StartWith("iptables v1.8.7 (legacy): unknown option \"--dport\""));
    }

    [Test]
    public async Task Proc_net_udp_is_in_the_kernel_format_and_root_only_from_Android_10()
    {
        var rooted = PhoneShell.Create("Mi 10");
        var quic = new IPEndPoint(IPAddress.Parse("198.18.0.7"), 443);
        rooted.Android.UdpSockets.RegisterUntil(new IPEndPoint(IPAddress.Parse("192.168.1.23"), 37001), quic, 10123, DateTimeOffset.UtcNow.AddMinutes(1));
        var text = (await rooted.RunAsync("cat /proc/net/tcp /proc/net/udp /proc/net/udp6", root: true)).Out;
        var lines = text.Split('\n');
        Assert.That(lines, Has.Some.StartsWith("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops"));
        Assert.That(lines.Single(l => l.Contains(":01BB")), Has.Length.EqualTo(127), "udp4 lines are padded to 127 like the kernel's");
        // Bucket 37001 % 128 = 9; addresses as little-endian words (192.168.1.23 → 1701A8C0), ports big-endian; 01 = connected.
        Assert.That(lines.Single(l => l.Contains(":01BB")), Does.StartWith("    9: 1701A8C0:9089 070012C6:01BB 01 00000000:00000000 00:00000000 00000000 10123        0 "));

        var android10 = PhoneShell.Create("Redmi Note 8");
        Assert.That((await android10.RunAsync("cat /proc/net/udp")).Err, Does.Contain("Permission denied"));
        Assert.That((await PhoneShell.Create("Mi A1").RunAsync("cat /proc/net/udp6")).Out, Does.StartWith("  sl  local_address"), "Android 9: the shell user may read it");
    }
}
