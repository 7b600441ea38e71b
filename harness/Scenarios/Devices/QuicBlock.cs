using System.Globalization;
using Harness.Adb;

namespace Harness.Scenarios;

/// <summary>
/// Drops the browsers' outgoing UDP 443 (QUIC, HTTP/3) for a session, so that they fall back to TCP through the proxy,
/// as the standard measurement method does at the access point. Rooted phones only: one chain of our own,
/// <see cref="Chain"/>, in the filter table of both iptables and ip6tables, jumped to from the top of OUTPUT, holding one
/// rule per uid (`-p udp --dport 443 -m owner --uid-owner UID -m comment --comment harness-quic-block -j DROP`).
/// Dropped in OUTPUT, a locally sent datagram fails at once with EPERM, which is what makes Chromium's QUIC give up.
/// The chain's name is how restore and recovery find everything this added: they remove the jump and the chain whole,
/// and never touch the chains netd owns. Every change is read back with `-S`.
/// </summary>
public static class QuicBlock
{
    public const string Chain = "harness_quic";
    public const string Comment = "harness-quic-block";
    public const int Port = 443;

    /// <summary>IPv4 and IPv6: a block in one family only lets QUIC out through the other.</summary>
    public static readonly IReadOnlyList<string> Tools = ["iptables", "ip6tables"];

    /// <summary>The rule for one uid (the arguments after the chain name), as given to -A and -C.</summary>
    public static string RuleFor(int uid) =>
        string.Create(CultureInfo.InvariantCulture, $"-p udp --dport {Port} -m owner --uid-owner {uid} -m comment --comment {Comment} -j DROP");

    /// <summary>Adds the chain, its jump and a rule per uid where missing; null when every rule reads back in both tables, else what is missing.</summary>
    public static async Task<string?> AddAsync(AdbClient adb, string serial, RootAccess root, IReadOnlyCollection<int> uids, CancellationToken ct)
    {
        var problems = new List<string>();
        foreach (var tool in Tools)
        {
            // -w waits for the xtables lock netd holds while it changes its own rules.
            var script = string.Join("; ",
                [
                    $"{tool} -w -N {Chain} 2>/dev/null",
                    $"{tool} -w -C OUTPUT -j {Chain} 2>/dev/null || {tool} -w -I OUTPUT 1 -j {Chain}",
                    .. uids.Select(uid => $"{tool} -w -C {Chain} {RuleFor(uid)} 2>/dev/null || {tool} -w -A {Chain} {RuleFor(uid)}"),
                    $"{tool} -w -S OUTPUT",
                    $"{tool} -w -S {Chain}",
                ]);
            var listed = await adb.ShellAsync(serial, root.Wrap(script), ct).ConfigureAwait(false);
            var missing = Missing(listed.Stdout, uids);
            if (missing is not null) problems.Add($"{tool}: {missing}{Stderr(listed)}");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>Null when the jump and the rules for <paramref name="uids"/> are in both tables now, else what is missing.</summary>
    public static async Task<string?> CheckAsync(AdbClient adb, string serial, RootAccess root, IReadOnlyCollection<int> uids, CancellationToken ct)
    {
        var problems = new List<string>();
        foreach (var tool in Tools)
        {
            var listed = await adb.ShellAsync(serial, root.Wrap($"{tool} -w -S OUTPUT; {tool} -w -S {Chain}"), ct).ConfigureAwait(false);
            if (Missing(listed.Stdout, uids) is { } missing) problems.Add($"{tool}: {missing}");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>Removes the jump (every copy) and the chain from both tables; null when `-S` no longer names the chain anywhere.</summary>
    public static async Task<string?> RemoveAsync(AdbClient adb, string serial, RootAccess root, CancellationToken ct)
    {
        var problems = new List<string>();
        foreach (var tool in Tools)
        {
            var script = string.Join("; ",
                $"{tool} -w -D OUTPUT -j {Chain} 2>/dev/null",
                $"{tool} -w -F {Chain} 2>/dev/null",
                $"{tool} -w -X {Chain} 2>/dev/null",
                $"{tool} -w -S");
            ShellResult listed;
            var attempts = 0;
            // A run killed between its check and its insert can leave a second jump; each pass deletes one.
            do listed = await adb.ShellAsync(serial, root.Wrap(script), ct).ConfigureAwait(false);
            while (listed.Stdout.Contains(Chain, StringComparison.Ordinal) && ++attempts < 3);
            if (listed.Stdout.Contains(Chain, StringComparison.Ordinal)) problems.Add($"{tool} still lists {Chain}{Stderr(listed)}");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>What `-S OUTPUT; -S CHAIN` output lacks: the jump, or a uid's rule (null when nothing).</summary>
    internal static string? Missing(string listing, IReadOnlyCollection<int> uids)
    {
        var lines = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var missing = new List<string>();
        if (!lines.Any(l => l.StartsWith("-A OUTPUT ", StringComparison.Ordinal) && l.EndsWith("-j " + Chain, StringComparison.Ordinal)))
            missing.Add($"no jump from OUTPUT to {Chain}");
        foreach (var uid in uids)
        {
            var owner = string.Create(CultureInfo.InvariantCulture, $"--uid-owner {uid} ");
            // iptables prints the rule back with the implicit "-m udp" it added: match the parts, not the text as given.
            if (!lines.Any(l => l.StartsWith($"-A {Chain} ", StringComparison.Ordinal) && l.Contains("-p udp", StringComparison.Ordinal)
                                && l.Contains($"--dport {Port}", StringComparison.Ordinal) && l.Contains(owner, StringComparison.Ordinal) && l.EndsWith("-j DROP", StringComparison.Ordinal)))
                missing.Add($"no UDP {Port} drop for uid {uid}");
        }
        return missing.Count == 0 ? null : string.Join(", ", missing);
    }

    private static string Stderr(ShellResult result) => result.Stderr.Trim().Length > 0 ? $" ({ShellText.FirstLine(result.Stderr)})" : "";
}
