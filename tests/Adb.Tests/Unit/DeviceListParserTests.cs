using Harness.Adb;
using Harness.Adb.Protocol;

namespace Harness.Adb.Tests.Unit;

public sealed class DeviceListParserTests
{
    [Test]
    public void Parses_the_long_form_with_every_field()
    {
        var body = "127.0.0.1:40123        device product:ginkgo model:Redmi_Note_8 device:ginkgo transport_id:3\n"
                 + "emulator-5554          offline transport_id:1\n";
        var devices = DeviceListParser.Parse(body);
        Assert.That(devices, Has.Count.EqualTo(2));
        Assert.That(devices[0], Is.EqualTo(new DeviceData("127.0.0.1:40123", DeviceState.Device, "ginkgo", "Redmi_Note_8", "ginkgo", 3)));
        Assert.That(devices[1].State, Is.EqualTo(DeviceState.Offline));
        Assert.That(devices[1].Model, Is.Null);
        Assert.That(devices[1].TransportId, Is.EqualTo(1));
    }

    [Test]
    public void Parses_the_short_form_with_tabs()
    {
        var devices = DeviceListParser.Parse("abc123\tunauthorized\n10.0.0.2:5555\tdevice\n");
        Assert.That(devices.Select(d => (d.Serial, d.State)), Is.EqualTo(new[]
        {
            ("abc123", DeviceState.Unauthorized),
            ("10.0.0.2:5555", DeviceState.Device),
        }));
    }

    [Test]
    public void Usb_path_and_multiword_no_permissions_state_are_understood()
    {
        var line = "0123456789ABCDEF       no permissions (user in plugdev group; are your udev rules wrong?); see [http://developer.android.com/tools/device.html] usb:1-1 transport_id:9";
        var device = DeviceListParser.ParseLine(line);
        Assert.That(device.State, Is.EqualTo(DeviceState.NoPermissions));
        Assert.That(device.Usb, Is.EqualTo("1-1"));
        Assert.That(device.TransportId, Is.EqualTo(9));
    }

    [Test]
    public void Empty_body_means_no_devices()
    {
        Assert.That(DeviceListParser.Parse(""), Is.Empty);
        Assert.That(DeviceListParser.Parse("\n\r\n"), Is.Empty);
    }

    [Test]
    public void Unknown_states_do_not_throw()
    {
        Assert.That(DeviceListParser.ParseLine("x\tfrobnicating").State, Is.EqualTo(DeviceState.Unknown));
    }

    [TestCase("lonelyserial")]
    [TestCase("\tdevice")]
    [TestCase("serial device transport_id:abc")]
    public void Malformed_lines_throw(string line)
    {
        Assert.Throws<AdbProtocolException>(() => DeviceListParser.ParseLine(line));
    }
}
