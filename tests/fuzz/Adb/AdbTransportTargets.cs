using Harness.VirtualDevice.Transport;

namespace Harness.Fuzz;

/// <summary>
/// The virtual phone's side of the adb transport: raw bytes from the adb server through the message decoder into the
/// stream multiplexer, which also answers (accepts every stream, writes back, closes some). The decoder's
/// <see cref="AdbProtocolException"/> is the documented rejection (the phone drops the connection).
/// </summary>
public static class AdbTransportTargets
{
    public static void DeviceTransport(byte[] input)
    {
        var decoder = new AdbMessageDecoder(maxPayload: 64 * 1024);
        var protocol = new AdbDeviceProtocol("device::ro.product.name=fuzz;ro.product.model=fuzz;features=shell_v2,cmd");
        try
        {
            foreach (var chunk in FuzzHost.Chunks(input))
            {
                decoder.Feed(chunk.Span);
                while (decoder.TryRead(out var message))
                {
                    foreach (var e in protocol.Receive(message))
                    {
                        switch (e)
                        {
                            case StreamOpenRequested open when open.Service.Length % 3 == 0:
                                protocol.Refuse(open.LocalId);
                                break;
                            case StreamOpenRequested open:
                                protocol.Accept(open.LocalId);
                                if (protocol.IsStreamOpen(open.LocalId)) protocol.Write(open.LocalId, "OKAY"u8);
                                break;
                            case StreamDataReceived data when data.Data.Length % 2 == 0 && protocol.IsStreamOpen(data.LocalId):
                                protocol.Close(data.LocalId);
                                break;
                        }
                    }
                    protocol.DrainOutgoing();
                }
            }
        }
        catch (AdbProtocolException)
        {
            protocol.Reset();
        }
    }
}
