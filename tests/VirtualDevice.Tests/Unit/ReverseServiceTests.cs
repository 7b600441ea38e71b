using System.Text;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Services;

namespace Harness.VirtualDevice.Tests.Unit;

public sealed class ReverseServiceTests
{
    private static string Reply(string request, ReverseForwardTable table) => Encoding.UTF8.GetString(ReverseService.Handle(request, table, () => 41234));

    [Test]
    public void RepliesAreExactlyWhatAdbdWrites()
    {
        var table = new ReverseForwardTable();
        Assert.That(Reply("forward:tcp:8888;tcp:9999", table), Is.EqualTo("OKAY"));
        Assert.That(Reply("forward:norebind:tcp:8888;tcp:1", table), Is.EqualTo("FAIL001dcannot rebind existing socket"));
        Assert.That(Reply("forward:tcp:0;tcp:7000", table), Is.EqualTo("OKAY000541234"));
        Assert.That(Reply("list-forward", table), Is.EqualTo("0039(reverse) tcp:8888 tcp:9999\n(reverse) tcp:41234 tcp:7000\n"));
        Assert.That(Reply("killforward:tcp:8888", table), Is.EqualTo("OKAY"));
        Assert.That(Reply("killforward:tcp:8888", table), Is.EqualTo("FAIL001dlistener 'tcp:8888' not found"));
        Assert.That(Reply("killforward-all", table), Is.EqualTo("OKAY"));
        Assert.That(Reply("list-forward", table), Is.EqualTo("0000"));
    }

    [Test]
    public void ListenersBelongToTheTransportThatMadeThemAndGoWithIt()
    {
        var table = new ReverseForwardTable();
        object first = new(), second = new();
        string Via(object transport, string request) => Encoding.UTF8.GetString(ReverseService.Handle(request, table, () => 41234, transport));

        Assert.That(Via(first, "forward:tcp:8888;tcp:9999"), Is.EqualTo("OKAY"));
        Assert.That(Via(second, "list-forward"), Is.EqualTo("0000"), "another adb server sees none of them");
        Assert.That(Via(second, "killforward:tcp:8888"), Is.EqualTo("FAIL001dlistener 'tcp:8888' not found"));
        Assert.That(Via(second, "killforward-all"), Is.EqualTo("OKAY"));
        Assert.That(table.Find("tcp:8888")?.Owner, Is.SameAs(first), "killforward-all of another transport leaves it");
        table.Clear(first);
        Assert.That(table.Find("tcp:8888"), Is.Null, "the transport went away and its listener with it");
    }
}
