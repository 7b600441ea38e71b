namespace Harness.VirtualDevice.Transport;

/// <summary>Per-stream bookkeeping of the device side: ids, data not yet sent, whether a WRTE awaits its OKAY.</summary>
internal sealed class AdbDeviceStreamState(uint localId, uint remoteId)
{
    public uint LocalId { get; } = localId;
    public uint RemoteId { get; set; } = remoteId;
    public bool OpenedByDevice { get; init; }
    public bool Established { get; set; }
    public bool AwaitingAck { get; set; }
    public bool CloseRequested { get; set; }
    public Queue<ReadOnlyMemory<byte>> Pending { get; } = new();
    public long PendingBytes { get; set; }
}
