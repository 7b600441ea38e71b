using Harness.VirtualDevice.Transport;

namespace Harness.VirtualDevice.Tests.Unit;

/// <summary>Hangs the `adb-transport` fuzz target (tests/fuzz) found in the device side of the transport.</summary>
public sealed class AdbDeviceProtocolFuzzRegressionTests
{
    [Test]
    public void CnxnWithZeroMaxData_DoesNotMakeWriteLoopForever()
    {
        // Found by afl: CNXN(version, maxdata=0) set MaxPayload to 0, and Write then queued empty chunks without end.
        var p = new AdbDeviceProtocol("device::ro.product.model=fuzz");
        p.Receive(new AdbMessage(AdbCommand.Cnxn, 0x01000001, 0, "host::"u8.ToArray()));
        var open = (StreamOpenRequested)p.Receive(new AdbMessage(AdbCommand.Open, 7, 0, "shell:id\0"u8.ToArray())).Single();
        p.Accept(open.LocalId);
        p.DrainOutgoing();

        p.Write(open.LocalId, new byte[10_000]);

        Assert.That(p.MaxPayload, Is.GreaterThan(0u));
        var write = p.DrainOutgoing().Single(m => m.Command == AdbCommand.Wrte);
        Assert.That(write.Payload.Length, Is.EqualTo((int)p.MaxPayload));
        Assert.That(p.PendingBytes(open.LocalId), Is.EqualTo(10_000 - p.MaxPayload));
    }
}
