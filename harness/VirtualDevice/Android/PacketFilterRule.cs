namespace Harness.VirtualDevice.Android;

/// <summary>
/// One rule of the virtual kernel's filter table, with the matches the harness and netd use: protocol, destination
/// port (the udp/tcp match), owner uid (xt_owner, outgoing packets only) and a comment.
/// </summary>
public sealed record PacketFilterRule(string? Protocol, int? DestinationPort, int? UidOwner, string? Comment, string Target)
{
    /// <summary>The rule as `iptables -S` prints it after the chain name (the implicit "-m udp" included).</summary>
    public string Spec
    {
        get
        {
            var parts = new List<string>();
            if (Protocol is { } p) parts.Add($"-p {p}");
            if (DestinationPort is { } port) parts.Add($"-m {Protocol} --dport {port}");
            if (UidOwner is { } uid) parts.Add($"-m owner --uid-owner {uid}");
            if (Comment is { } c) parts.Add($"-m comment --comment {(c.Any(char.IsWhiteSpace) ? "\"" + c + "\"" : c)}");
            parts.Add($"-j {Target}");
            return string.Join(' ', parts);
        }
    }

    public bool Matches(string protocol, int destinationPort, int uid) =>
        (Protocol is null || Protocol == protocol) && (DestinationPort is null || DestinationPort == destinationPort) && (UidOwner is null || UidOwner == uid);
}
