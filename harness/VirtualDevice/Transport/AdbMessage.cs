namespace Harness.VirtualDevice.Transport;

/// <summary>One transport message: the 24-byte header's meaningful fields plus the payload.</summary>
public readonly record struct AdbMessage(uint Command, uint Arg0, uint Arg1, ReadOnlyMemory<byte> Payload)
{
    public AdbMessage(uint command, uint arg0, uint arg1) : this(command, arg0, arg1, ReadOnlyMemory<byte>.Empty) { }

    public override string ToString() => $"{AdbCommand.Name(Command)}({Arg0}, {Arg1}, {Payload.Length} bytes)";
}
