namespace Harness.VirtualDevice.Network;

/// <summary>
/// How one app (or one SDK inside it) uses the network: its uid, whether its network-security config trusts
/// user CAs, whether it ignores the system proxy, and which hosts it pins.
/// </summary>
public sealed record AppNetworkPolicy
{
    public int AppUid { get; init; } = 10_000;

    public bool TrustUserCertificates { get; init; }

    public bool BypassProxy { get; init; }

    public CertificatePinner? Pinner { get; init; }

    /// <summary>HTTPS tries QUIC first (see <see cref="PhoneHttpRequest.QuicHint"/>).</summary>
    public bool QuicHint { get; init; }

    /// <summary>The request with this policy's settings.</summary>
    public PhoneHttpRequest ApplyTo(PhoneHttpRequest request) => request with
    {
        AppUid = AppUid,
        TrustUserCertificates = TrustUserCertificates,
        BypassProxy = BypassProxy,
        Pinner = Pinner,
        QuicHint = QuicHint,
    };
}
