namespace Harness.VirtualDevice.Network;

/// <summary>How a request left the phone.</summary>
public enum PhoneHttpRoute
{
    /// <summary>Straight to the host (no proxy set, or the app bypasses it).</summary>
    Direct,

    /// <summary>Through the HTTP proxy of <c>settings global http_proxy</c> on the phone's localhost.</summary>
    Proxy,

    /// <summary>Over QUIC (UDP 443) straight to the host: no HTTP proxy carries it.</summary>
    Quic,
}
