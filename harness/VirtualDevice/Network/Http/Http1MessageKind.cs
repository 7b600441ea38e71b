namespace Harness.VirtualDevice.Network.Http;

public enum Http1MessageKind
{
    Request,
    Response,
}
