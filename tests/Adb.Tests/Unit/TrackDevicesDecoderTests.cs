using System.Text;
using Harness.Adb;
using Harness.Adb.Protocol;

namespace Harness.Adb.Tests.Unit;

public sealed class TrackDevicesDecoderTests
{
    private static byte[] Frame(string body) => Encoding.ASCII.GetBytes($"{Encoding.UTF8.GetByteCount(body):x4}{body}");

    [Test]
    public void First_list_reports_present_devices_as_connected()
    {
        var decoder = new TrackDevicesDecoder();
        var changes = decoder.Feed(Frame("a\tdevice\nb\toffline\n"));
        Assert.That(changes.Select(c => (c.Kind, c.Device.Serial)), Is.EquivalentTo(new[]
        {
            (DeviceChangeKind.Connected, "a"),
            (DeviceChangeKind.Connected, "b"),
        }));
    }

    [Test]
    public void Later_lists_yield_state_changes_and_disconnects()
    {
        var decoder = new TrackDevicesDecoder();
        decoder.Feed(Frame("a\tdevice\nb\toffline\n"));
        var changes = decoder.Feed(Frame("b\tdevice\n"));
        Assert.That(changes, Has.Count.EqualTo(2));
        var disconnect = changes.Single(c => c.Kind == DeviceChangeKind.Disconnected);
        Assert.That(disconnect.Device.Serial, Is.EqualTo("a"));
        Assert.That(disconnect.PreviousState, Is.EqualTo(DeviceState.Device));
        var change = changes.Single(c => c.Kind == DeviceChangeKind.StateChanged);
        Assert.That((change.Device.Serial, change.PreviousState, change.Device.State), Is.EqualTo(("b", (DeviceState?)DeviceState.Offline, DeviceState.Device)));
    }

    [Test]
    public void Identical_list_yields_nothing_and_empty_list_disconnects_everyone()
    {
        var decoder = new TrackDevicesDecoder();
        decoder.Feed(Frame("a\tdevice\n"));
        Assert.That(decoder.Feed(Frame("a\tdevice\n")), Is.Empty);
        var changes = decoder.Feed(Frame(""));
        Assert.That(changes.Single().Kind, Is.EqualTo(DeviceChangeKind.Disconnected));
        Assert.That(decoder.CurrentDevices, Is.Empty);
    }

    [Test]
    public void Frames_split_at_any_byte_are_reassembled()
    {
        var stream = Frame("a\tdevice\n").Concat(Frame("a\toffline\n")).ToArray();
        for (var split = 0; split <= stream.Length; split++)
        {
            var decoder = new TrackDevicesDecoder();
            var changes = decoder.Feed(stream.AsSpan(0, split)).Concat(decoder.Feed(stream.AsSpan(split))).ToList();
            Assert.That(changes.Select(c => c.Kind), Is.EqualTo(new[] { DeviceChangeKind.Connected, DeviceChangeKind.StateChanged }), $"split at {split}");
        }
    }

    [Test]
    public void Byte_by_byte_feeding_works()
    {
        var decoder = new TrackDevicesDecoder();
        var changes = new List<DeviceChange>();
        foreach (var b in Frame("x\tdevice\n")) changes.AddRange(decoder.Feed([b]));
        Assert.That(changes.Single().Device.Serial, Is.EqualTo("x"));
    }

    [Test]
    public void Garbage_length_throws()
    {
        Assert.Throws<AdbProtocolException>(() => new TrackDevicesDecoder().Feed(Encoding.ASCII.GetBytes("zzzza\tdevice")));
    }
}
