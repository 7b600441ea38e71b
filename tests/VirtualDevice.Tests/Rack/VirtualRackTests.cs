using System.Text;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Network.Internet;
using Harness.VirtualDevice.Rack;

namespace Harness.VirtualDevice.Tests.Rack;

public sealed class VirtualRackTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Phones_of_a_rack_share_one_internet_and_get_their_factory_browsers(CancellationToken ct)
    {
        var specs = VirtualRackFile.Parse("""
            { "devices": [
                { "virtual": { "model": "Redmi Note 8", "port": 0, "rooted": true, "locale": "es-ES", "apps": ["mint@3.4.0"] } },
                { "virtual": { "model": "Mi 10", "port": 0, "apps": ["mibrowser@12.1.4"] } }
            ] }
            """, "rack.json");
        await using var rack = await VirtualRack.StartAsync(specs, ct);

        var note8 = rack.Phones[0];
        var mi10 = rack.Phones[1];
        var rootFile = AndroidCaFileName.Of(rack.Internet.RootCertificate);
        Assert.Multiple(() =>
        {
            Assert.That(note8.Internet, Is.SameAs(rack.Internet));
            Assert.That(mi10.Internet, Is.SameAs(rack.Internet));
            Assert.That(note8.Profile.Rooted, Is.True);
            Assert.That(note8.Android.GetProperty("persist.sys.locale"), Is.EqualTo("es-ES"));
            Assert.That(note8.Android.Packages.Get("com.mi.globalbrowser.mini")?.Manifest.VersionName, Is.EqualTo("3.4.0"));
            Assert.That(mi10.Android.Packages.Get("com.mi.globalbrowser")?.Manifest.VersionName, Is.EqualTo("12.1.4"));
            Assert.That(note8.Android.FileSystem.IsFile($"{VirtualAndroid.SystemCaDirectory}/{rootFile}"), Is.True, "the rack's root ships like a public root");
            Assert.That(mi10.Android.FileSystem.IsFile($"{VirtualAndroid.ApexCaDirectory}/{rootFile}"), Is.True, "Android 14 reads the conscrypt APEX");
            Assert.That(note8.Network.SystemCaCertificates().Select(c => c.Thumbprint), Does.Contain(rack.Internet.RootCertificate.Thumbprint));
            Assert.That(Encoding.ASCII.GetString(note8.Android.FileSystem.ReadFile($"{VirtualAndroid.SystemCaDirectory}/{rootFile}", true)), Does.StartWith("-----BEGIN CERTIFICATE-----"));
        });
    }
}
