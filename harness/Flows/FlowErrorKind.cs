namespace Harness.Flows;

public enum FlowErrorKind
{
    ClientAbort,
    UpstreamError,
    Timeout,
    ProtocolError,
    TlsHandshake,
}
