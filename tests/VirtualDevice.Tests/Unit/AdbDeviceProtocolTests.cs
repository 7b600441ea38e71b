using System.Text;
using Harness.VirtualDevice.Transport;

namespace Harness.VirtualDevice.Tests.Unit;

public sealed class AdbDeviceProtocolTests
{
    private const string Banner = "device::ro.product.name=ginkgo;ro.product.model=Redmi Note 8;ro.product.device=ginkgo;features=shell_v2,cmd";

    private static AdbDeviceProtocol Connected(uint hostMaxPayload = 1024 * 1024)
    {
        var p = new AdbDeviceProtocol(Banner);
        p.Receive(new AdbMessage(AdbCommand.Cnxn, 0x01000001, hostMaxPayload, "host::features=shell_v2"u8.ToArray()));
        p.DrainOutgoing();
        return p;
    }

    [Test]
    public void AnswersCnxnWithBannerAndNegotiatesVersionAndPayload()
    {
        var p = new AdbDeviceProtocol(Banner);
        var events = p.Receive(new AdbMessage(AdbCommand.Cnxn, 0x01000001, 256 * 1024, "host::"u8.ToArray()));
        var reply = p.DrainOutgoing().Single();
        Assert.That(reply.Command, Is.EqualTo(AdbCommand.Cnxn));
        Assert.That(reply.Arg0, Is.EqualTo(0x01000001));
        Assert.That(Encoding.UTF8.GetString(reply.Payload.Span), Is.EqualTo(Banner));
        Assert.That(events.Single(), Is.InstanceOf<HostConnected>());
        Assert.That(p.MaxPayload, Is.EqualTo(256 * 1024));
        Assert.That(p.IsOnline, Is.True);
    }

    [Test]
    public void IgnoresStreamMessagesBeforeTheHandshake()
    {
        var p = new AdbDeviceProtocol(Banner);
        Assert.That(p.Receive(new AdbMessage(AdbCommand.Open, 5, 0, "shell:id\0"u8.ToArray())), Is.Empty);
        Assert.That(p.DrainOutgoing(), Is.Empty);
    }

    [Test]
    public void OpenAcceptWriteAckAndCloseFollowAdb29FlowControl()
    {
        var p = Connected(hostMaxPayload: 4);
        var open = (StreamOpenRequested)p.Receive(new AdbMessage(AdbCommand.Open, 42, 0, "shell:echo hi\0"u8.ToArray())).Single();
        Assert.That(open.Service, Is.EqualTo("shell:echo hi"));
        p.Accept(open.LocalId);
        Assert.That(p.DrainOutgoing().Single(), Is.EqualTo(new AdbMessage(AdbCommand.Okay, open.LocalId, 42)));

        p.Write(open.LocalId, "abcdefghij"u8);
        p.Close(open.LocalId);
        var first = p.DrainOutgoing();
        Assert.That(first.Select(m => (m.Command, Encoding.ASCII.GetString(m.Payload.Span))), Is.EqualTo(new[] { (AdbCommand.Wrte, "abcd") }), "one unacknowledged WRTE at a time, chunks of max payload");

        Assert.That(p.Receive(new AdbMessage(AdbCommand.Okay, 42, open.LocalId)).Single(), Is.InstanceOf<StreamAcknowledged>());
        Assert.That(Encoding.ASCII.GetString(p.DrainOutgoing().Single().Payload.Span), Is.EqualTo("efgh"));
        p.Receive(new AdbMessage(AdbCommand.Okay, 42, open.LocalId));
        Assert.That(Encoding.ASCII.GetString(p.DrainOutgoing().Single().Payload.Span), Is.EqualTo("ij"));
        p.Receive(new AdbMessage(AdbCommand.Okay, 42, open.LocalId));
        Assert.That(p.DrainOutgoing().Single(), Is.EqualTo(new AdbMessage(AdbCommand.Clse, open.LocalId, 42)), "CLSE only after the last WRTE is acknowledged");
        Assert.That(p.IsStreamOpen(open.LocalId), Is.False);
    }

    [Test]
    public void IncomingWriteIsAcknowledgedAndDelivered()
    {
        var p = Connected();
        var open = (StreamOpenRequested)p.Receive(new AdbMessage(AdbCommand.Open, 7, 0, "sync:\0"u8.ToArray())).Single();
        p.Accept(open.LocalId);
        p.DrainOutgoing();
        var data = (StreamDataReceived)p.Receive(new AdbMessage(AdbCommand.Wrte, 7, open.LocalId, "STAT"u8.ToArray())).Single();
        Assert.That(data.Data, Is.EqualTo("STAT"u8.ToArray()));
        Assert.That(p.DrainOutgoing().Single(), Is.EqualTo(new AdbMessage(AdbCommand.Okay, open.LocalId, 7)));
    }

    [Test]
    public void SeveralStreamsAreIndependent()
    {
        var p = Connected();
        var a = (StreamOpenRequested)p.Receive(new AdbMessage(AdbCommand.Open, 10, 0, "shell:a\0"u8.ToArray())).Single();
        var b = (StreamOpenRequested)p.Receive(new AdbMessage(AdbCommand.Open, 11, 0, "shell:b\0"u8.ToArray())).Single();
        Assert.That(a.LocalId, Is.Not.EqualTo(b.LocalId));
        p.Accept(a.LocalId);
        p.Accept(b.LocalId);
        p.DrainOutgoing();
        p.Write(a.LocalId, "1"u8);
        p.Write(a.LocalId, "2"u8);
        p.Write(b.LocalId, "x"u8);
        var sent = p.DrainOutgoing();
        Assert.That(sent.Select(m => (m.Arg1, Encoding.ASCII.GetString(m.Payload.Span))), Is.EqualTo(new[] { (10u, "1"), (11u, "x") }));
        Assert.That(p.Receive(new AdbMessage(AdbCommand.Clse, 11, b.LocalId)).Single(), Is.EqualTo(new StreamClosedByHost(b.LocalId)));
        Assert.That(p.Receive(new AdbMessage(AdbCommand.Clse, 11, b.LocalId)), Is.Empty, "a second CLSE for a closed stream is ignored");
        p.Receive(new AdbMessage(AdbCommand.Okay, 10, a.LocalId));
        Assert.That(Encoding.ASCII.GetString(p.DrainOutgoing().Single().Payload.Span), Is.EqualTo("2"));
    }

    [Test]
    public void RefusedOpenAnswersClseWithZeroLocalId()
    {
        var p = Connected();
        var open = (StreamOpenRequested)p.Receive(new AdbMessage(AdbCommand.Open, 9, 0, "framebuffer:\0"u8.ToArray())).Single();
        p.Refuse(open.LocalId);
        Assert.That(p.DrainOutgoing().Single(), Is.EqualTo(new AdbMessage(AdbCommand.Clse, 0, 9)));
    }

    [Test]
    public void DeviceInitiatedStreamForReverseForwarding()
    {
        var p = Connected();
        var id = p.OpenToHost("tcp:9999");
        var open = p.DrainOutgoing().Single();
        Assert.That((open.Command, open.Arg0, open.Arg1, Encoding.ASCII.GetString(open.Payload.Span)), Is.EqualTo((AdbCommand.Open, id, 0u, "tcp:9999\0")));
        p.Write(id, "early"u8);
        Assert.That(p.DrainOutgoing(), Is.Empty, "nothing is sent before the host accepts");
        Assert.That(p.Receive(new AdbMessage(AdbCommand.Okay, 77, id)).Single(), Is.EqualTo(new StreamAcceptedByHost(id)));
        Assert.That(p.DrainOutgoing().Single(), Is.EqualTo(new AdbMessage(AdbCommand.Wrte, id, 77, "early"u8.ToArray())).Using<AdbMessage>(SameMessage));

        var refused = p.OpenToHost("tcp:1");
        p.DrainOutgoing();
        Assert.That(p.Receive(new AdbMessage(AdbCommand.Clse, 0, refused)).Single(), Is.EqualTo(new StreamRefusedByHost(refused)));
    }

    private static bool SameMessage(AdbMessage a, AdbMessage b) => a.Command == b.Command && a.Arg0 == b.Arg0 && a.Arg1 == b.Arg1 && a.Payload.Span.SequenceEqual(b.Payload.Span);
}
