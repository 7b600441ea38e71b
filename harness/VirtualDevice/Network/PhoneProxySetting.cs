using System.Globalization;
using System.Net;

namespace Harness.VirtualDevice.Network;

/// <summary>The parsed value of <c>settings global http_proxy</c>.</summary>
/// <param name="Host">Proxy host as written, or null when no proxy is set.</param>
public sealed record PhoneProxySetting(string? Host, int Port)
{
    public static PhoneProxySetting None { get; } = new(null, 0);

    public bool IsSet => Host is not null;

    /// <summary>The proxy is on the phone's own loopback (reachable only through <c>adb reverse</c>).</summary>
    public bool IsLoopback =>
        Host is not null
        && (Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));

    /// <summary>
    /// Parses "host:port" the way ConnectivityService does. Null, empty, ":0" and an empty host mean no
    /// proxy (":0" is what <c>settings put global http_proxy :0</c> leaves behind to clear it).
    /// </summary>
    public static PhoneProxySetting Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim() == "null")
        {
            return None;
        }

        var text = value.Trim();
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            // ConnectivityService reads a bare host as host:8080.
            return new PhoneProxySetting(text, 8080);
        }

        var host = text[..colon];
        if (host.Length == 0
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is <= 0 or > 65535)
        {
            return None;
        }

        return new PhoneProxySetting(host, port);
    }
}
