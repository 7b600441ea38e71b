namespace Harness.VirtualDevice.Network;

/// <summary>Why a request of the phone's network stack failed.</summary>
public enum PhoneNetworkFailure
{
    ConnectionRefused,
    NetworkUnreachable,
    ProxyRejected,
    UntrustedCertificate,
    HostnameMismatch,
    CertificatePinningFailure,
    TlsHandshakeFailed,
    Timeout,
    ProtocolError,
    ConnectionReset,
}
