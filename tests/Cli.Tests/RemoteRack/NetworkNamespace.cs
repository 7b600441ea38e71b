using System.Diagnostics;
using System.Net;

namespace Harness.Cli.Tests.RemoteRack;

/// <summary>
/// A second "host" for tests: a network namespace joined to this one by a veth pair on a private /24 (10.218.N.0),
/// this host at .1 and the namespace at .2. Processes started with <see cref="StartProcess"/> run inside it (`ip netns
/// exec`); what they listen on is reachable from here only through the veth, as a phone on another machine is. Needs
/// root and iproute2 (CI runs as root); when the namespace cannot be made the test fails with the reason.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private NetworkNamespace(string name, int subnet)
    {
        Name = name;
        HostAddress = IPAddress.Parse($"10.218.{subnet}.1");
        Address = IPAddress.Parse($"10.218.{subnet}.2");
    }

    public string Name { get; }

    /// <summary>This host's end of the veth pair.</summary>
    public IPAddress HostAddress { get; }

    /// <summary>The namespace's address: where its listeners are reached from this host.</summary>
    public IPAddress Address { get; }

    public static NetworkNamespace Create()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var subnet = Random.Shared.Next(1, 250);
        var ns = new NetworkNamespace("h18-" + suffix, subnet);
        string hostVeth = "h18h" + suffix, innerVeth = "h18n" + suffix;
        try
        {
            Run("ip", "netns", "add", ns.Name);
            Run("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", innerVeth);
            Run("ip", "link", "set", innerVeth, "netns", ns.Name);
            Run("ip", "addr", "add", $"{ns.HostAddress}/24", "dev", hostVeth);
            Run("ip", "link", "set", hostVeth, "up");
            Run("ip", "netns", "exec", ns.Name, "ip", "addr", "add", $"{ns.Address}/24", "dev", innerVeth);
            Run("ip", "netns", "exec", ns.Name, "ip", "link", "set", innerVeth, "up");
            Run("ip", "netns", "exec", ns.Name, "ip", "link", "set", "lo", "up");
            return ns;
        }
        catch (Exception e)
        {
            ns.Dispose();
            Assert.Fail($"cannot create a network namespace standing in for a second host (needs root and iproute2, as in CI): {e.Message}");
            throw;
        }
    }

    /// <summary>`ip netns exec NAME FILE ARGS…`, output redirected.</summary>
    public Process StartProcess(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", Name, file }.Concat(args)) start.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        return Process.Start(start) ?? throw new InvalidOperationException("could not start ip netns exec");
    }

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"`{file} {string.Join(' ', args)}` exited {process.ExitCode}: {error.Trim()}");
    }

    public void Dispose()
    {
        // Deleting the namespace takes its end of the veth pair, and with it ours.
        try { Run("ip", "netns", "del", Name); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }
}
