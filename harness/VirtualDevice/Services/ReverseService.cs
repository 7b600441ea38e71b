using System.Text;
using Harness.VirtualDevice.Android;

namespace Harness.VirtualDevice.Services;

/// <summary>
/// adbd's reverse_service: forward, killforward, killforward-all, list-forward. Replies are exactly what adbd writes
/// (one OKAY, or FAIL+hex4+reason; list-forward writes hex4+lines with no OKAY). <paramref name="transport"/> owns what it adds.
/// </summary>
public static class ReverseService
{
    public static byte[] Handle(string request, ReverseForwardTable table, Func<int> allocatePort, object? transport = null)
    {
        if (request == "list-forward")
        {
            var lines = string.Concat(table.List(transport).Select(f => $"(reverse) {f.Key} {f.Value}\n"));
            return Protocol(lines);
        }
        if (request == "killforward-all")
        {
            table.Clear(transport);
            return Okay();
        }
        if (request.StartsWith("killforward:", StringComparison.Ordinal))
        {
            var spec = request["killforward:".Length..];
            return table.Remove(spec, transport) ? Okay() : Fail($"listener '{spec}' not found");
        }
        if (request.StartsWith("forward:", StringComparison.Ordinal))
        {
            var rest = request["forward:".Length..];
            var noRebind = rest.StartsWith("norebind:", StringComparison.Ordinal);
            if (noRebind) rest = rest["norebind:".Length..];
            var semicolon = rest.IndexOf(';');
            if (semicolon <= 0) return Fail("bad forward: " + rest);
            var phoneSpec = rest[..semicolon];
            var hostSpec = rest[(semicolon + 1)..];
            if (!phoneSpec.StartsWith("tcp:") || !int.TryParse(phoneSpec[4..], out var port) || port < 0 || port > 65535) return Fail($"cannot bind listener: unsupported socket spec '{phoneSpec}'");
            if (!hostSpec.StartsWith("tcp:") && !hostSpec.StartsWith("localabstract:") && !hostSpec.StartsWith("localreserved:")) return Fail($"unsupported socket spec '{hostSpec}'");
            if (port == 0)
            {
                var chosen = allocatePort();
                table.Add($"tcp:{chosen}", hostSpec, noRebind: false, transport);
                return [.. Okay(), .. Protocol(chosen.ToString())];
            }
            return table.Add(phoneSpec, hostSpec, noRebind, transport) ? Okay() : Fail("cannot rebind existing socket");
        }
        return Fail($"unknown reverse request '{request}'");
    }

    private static byte[] Okay() => "OKAY"u8.ToArray();
    private static byte[] Protocol(string s) => Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetByteCount(s):x4}{s}");
    private static byte[] Fail(string reason) => [.. "FAIL"u8.ToArray(), .. Protocol(reason)];
}
