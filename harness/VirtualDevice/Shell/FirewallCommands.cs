using System.Globalization;
using Harness.VirtualDevice.Android;

namespace Harness.VirtualDevice.Shell;

/// <summary>
/// `iptables` and `ip6tables` (legacy 1.8.7, as Android 12+ ships them) over the filter table of <see cref="PacketFilter"/>:
/// -N, -X, -F, -A, -I, -D, -C, -S, with -p, --dport, -m owner --uid-owner, -m comment --comment, -j, and -w/-W/-t filter.
/// Without root they fail as on a real phone: the table cannot be opened (exit 3). Messages and exit codes are iptables' own.
/// </summary>
public static class FirewallCommands
{
    private const string Version = "v1.8.7 (legacy)";

    public static void Register(Dictionary<string, ShellCommand> c)
    {
        c["iptables"] = (i, ct) => RunAsync(i, i.Android.Firewall, ct);
        c["ip6tables"] = (i, ct) => RunAsync(i, i.Android.Firewall6, ct);
    }

    private static async Task<int> RunAsync(ShellInvocation i, PacketFilter filter, CancellationToken ct)
    {
        var name = i.Name;
        if (!i.Session.IsRoot)
        {
            await i.ErrLineAsync($"{name} {Version}: can't initialize {name} table `filter': Permission denied (you must be root)\nPerhaps {name} or your kernel needs to be upgraded.", ct).ConfigureAwait(false);
            return 3;
        }
        var args = i.Args.Skip(1).ToList();
        string? command = null, chain = null, protocol = null, comment = null, target = null;
        int? position = null, port = null, uid = null;
        for (var a = 0; a < args.Count; a++)
        {
            string? Next() => a + 1 < args.Count ? args[++a] : null;
            switch (args[a])
            {
                case "-w" or "--wait":
                    if (a + 1 < args.Count && int.TryParse(args[a + 1], out _)) a++;
                    break;
                case "-W" or "--wait-interval": a++; break;
                case "-t" or "--table":
                    var table = Next();
                    if (table != "filter")
                    {
                        // Only the filter table is modelled; the others exist on a phone but nothing here reads them.
                        await i.ErrLineAsync($"{name} {Version}: can't initialize {name} table `{table}': Table does not exist (do you need to insmod?)", ct).ConfigureAwait(false);
                        return 3;
                    }
                    break;
                case "-N" or "-X" or "-F" or "-A" or "-D" or "-C" or "-S" or "-L" or "-I":
                    command = args[a];
                    if (a + 1 < args.Count && !args[a + 1].StartsWith('-')) chain = args[++a];
                    if (command == "-I" && a + 1 < args.Count && int.TryParse(args[a + 1], out var p)) { position = p; a++; }
                    break;
                case "-p" or "--protocol": protocol = Next(); break;
                case "-m" or "--match":
                    var match = Next();
                    if (match is not ("udp" or "tcp" or "owner" or "comment")) return await BadAsync(i, $"Couldn't load match `{match}':No such file or directory", ct).ConfigureAwait(false);
                    break;
                case "--dport" or "--destination-port":
                    if (protocol is not ("udp" or "tcp")) return await BadAsync(i, "unknown option \"--dport\"", ct).ConfigureAwait(false);
                    port = int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : -1;
                    break;
                case "--uid-owner": uid = int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? u : -1; break;
                case "--comment": comment = Next(); break;
                case "-j" or "--jump": target = Next(); break;
                case "-n" or "-v" or "--line-numbers": break;
                default: return await BadAsync(i, $"unknown option \"{args[a]}\"", ct).ConfigureAwait(false);
            }
        }
        if (command is null) return await BadAsync(i, "no command specified", ct).ConfigureAwait(false);
        if (port is -1 || uid is -1) return await BadAsync(i, "invalid port/uid", ct).ConfigureAwait(false);
        var rule = new PacketFilterRule(protocol, port, uid, comment, target ?? "");
        string? failure;
        switch (command)
        {
            case "-N": failure = chain is null ? "option \"-N\" requires an argument" : filter.CreateChain(chain) ? null : "Chain already exists."; break;
            case "-X": failure = chain is null ? null : filter.DeleteChain(chain); break;
            case "-F": failure = chain is null || filter.Flush(chain) ? null : "No chain/target/match by that name."; break;
            case "-A" or "-I":
                if (chain is null || target is null) return await BadAsync(i, $"option \"{command}\" requires a chain and -j", ct).ConfigureAwait(false);
                failure = filter.Insert(chain, rule, command == "-I" ? position ?? 1 : null);
                break;
            case "-C" or "-D":
                if (chain is null) return await BadAsync(i, $"option \"{command}\" requires an argument", ct).ConfigureAwait(false);
                failure = !filter.HasChain(chain) ? "No chain/target/match by that name."
                    : (command == "-C" ? filter.Contains(chain, rule) : filter.Delete(chain, rule)) ? null
                    : "Bad rule (does a matching rule exist in that chain?).";
                break;
            default:
                if (filter.List(chain) is not { } listing) { failure = "No chain/target/match by that name."; break; }
                await i.OutAsync(listing, ct).ConfigureAwait(false);
                return 0;
        }
        if (failure is null) return 0;
        await i.ErrLineAsync($"{name}: {failure}", ct).ConfigureAwait(false);
        return 1;
    }

    private static async Task<int> BadAsync(ShellInvocation i, string message, CancellationToken ct)
    {
        await i.ErrLineAsync($"{i.Name} {Version}: {message}\nTry `{i.Name} -h' or '{i.Name} --help' for more information.", ct).ConfigureAwait(false);
        return 2;
    }
}
