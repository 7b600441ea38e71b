using System.Net;
using System.Net.NetworkInformation;
using Harness.Core;

namespace Harness.Scenarios;

/// <summary>
/// The one rule about where the adb server may be: on this host. `adb reverse` makes a phone's connections to
/// localhost:PORT come out of the adb server's host, so with a server elsewhere the phones would reach that host, never
/// our proxy, and every capture would be empty.
/// </summary>
public static class AdbServerLocation
{
    /// <summary>True for loopback, "localhost" and any address of this host's own interfaces.</summary>
    public static bool IsThisHost(string host)
    {
        var bare = host.Trim('[', ']');
        if (bare.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        if (!IPAddress.TryParse(bare, out var address))
            return bare.Equals(Dns.GetHostName(), StringComparison.OrdinalIgnoreCase);
        if (IPAddress.IsLoopback(address)) return true;
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Any(u => u.Address.Equals(address));
        }
        catch (NetworkInformationException)
        {
            return false;
        }
    }

    /// <summary>Why a server on <paramref name="endpoint"/> cannot work, and what to do instead.</summary>
    public static string RemoteServerMessage(string endpoint) =>
        $"the adb server {endpoint} is on another host: `adb reverse` tunnels end on the adb server's host, so the phones would reach "
        + "that host, never this host's proxy, and nothing would be captured. Connect the phones to this host's adb server instead "
        + "(a devices entry {\"connect\": \"PHONE-HOST:PORT\"}, which the run `adb connect`s), or run the harness on that host as a shard "
        + "(`harness run --shard K/N` there) and combine the outputs with `harness merge`";

    /// <summary>Throws <see cref="BadInputException"/> (exit 3) when <paramref name="endpoint"/> (HOST:PORT) is not on this host.</summary>
    public static void RequireThisHost(string endpoint, string? file, string field)
    {
        var colon = endpoint.LastIndexOf(':');
        var host = colon > 0 ? endpoint[..colon] : endpoint;
        if (!IsThisHost(host)) throw new BadInputException(RemoteServerMessage(endpoint), file, null, null, field);
    }
}
