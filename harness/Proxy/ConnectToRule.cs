using System.Globalization;
using System.Net;

namespace Harness.Proxy;

/// <summary>
/// One upstream name-resolution override, like curl's <c>--connect-to</c>: requests for <see cref="HostPattern"/>
/// (and <see cref="Port"/>, any when null) connect to <see cref="Address"/>:<see cref="TargetPort"/> instead of what
/// DNS says, while TLS still names and verifies the original host. Written <c>HOST[:PORT]=ADDRESS:PORT</c>; HOST may be
/// <c>*</c> (every host) or <c>*.example.com</c> (the subdomains); PORT may be <c>*</c>.
/// </summary>
public sealed record ConnectToRule(string HostPattern, int? Port, string Address, int TargetPort)
{
    public const string Syntax = "HOST[:PORT]=ADDRESS:PORT, e.g. api.example.com:443=127.0.0.1:8443 or *=127.0.0.1:9000";

    public bool Matches(string host, int port)
    {
        if (Port is { } p && p != port) return false;
        host = host.Trim('[', ']');
        if (HostPattern == "*") return true;
        if (HostPattern.StartsWith("*.", StringComparison.Ordinal))
            return host.EndsWith(HostPattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > HostPattern.Length - 1;
        return host.Equals(HostPattern, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Parses <see cref="Syntax"/>; on failure returns false with what is wrong.</summary>
    public static bool TryParse(string? text, out ConnectToRule? rule, out string error)
    {
        rule = null;
        error = "";
        var equals = text?.IndexOf('=') ?? -1;
        if (string.IsNullOrWhiteSpace(text) || equals <= 0 || equals == text.Length - 1)
        {
            error = $"'{text}' is not {Syntax}";
            return false;
        }
        var (source, target) = (text[..equals].Trim(), text[(equals + 1)..].Trim());
        if (!TrySplit(source, allowAnyPort: true, out var host, out var port) || host.Length == 0 || !IsHostPattern(host))
        {
            error = $"'{source}' is not HOST[:PORT] (HOST a name, an address, * or *.domain; PORT 1-65535 or *)";
            return false;
        }
        if (!TrySplit(target, allowAnyPort: false, out var address, out var targetPort) || address.Length == 0 || targetPort is null || address.Contains('*'))
        {
            error = $"'{target}' is not ADDRESS:PORT (e.g. 127.0.0.1:8443)";
            return false;
        }
        rule = new ConnectToRule(host.ToLowerInvariant(), port, address, targetPort.Value);
        return true;
    }

    public override string ToString() =>
        $"{HostPattern}{(Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "")}={(Address.Contains(':') ? "[" + Address + "]" : Address)}:{TargetPort.ToString(CultureInfo.InvariantCulture)}";

    private static bool IsHostPattern(string host)
    {
        if (host == "*") return true;
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (IPAddress.TryParse(name, out _)) return !host.StartsWith('*');
        return name.Length > 0 && !name.Contains('*') && name.Split('.').All(l => l.Length > 0 && l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }

    private static bool TrySplit(string text, bool allowAnyPort, out string host, out int? port)
    {
        host = text;
        port = null;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0) return false;
            host = text[1..close];
            if (close + 1 < text.Length)
            {
                if (text[close + 1] != ':') return false;
                portText = text[(close + 2)..];
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':');
            host = text[..colon];
            portText = text[(colon + 1)..];
        }
        else if (text.Contains(':'))
        {
            return false; // a bare IPv6 address needs brackets to carry a port
        }
        if (portText is null) return true;
        if (allowAnyPort && portText == "*") return true;
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535) return false;
        port = value;
        return true;
    }
}
