using System.Text;
using Harness.Core;

namespace Harness.Scenarios.Tests.Scenarios;

[TestFixture]
public sealed class RackFileTests
{
    [Test]
    public void The_shipped_devices_json_loads_with_its_virtual_blocks_ignored()
    {
        var rack = RackFile.Load(Path.Combine(Path.GetDirectoryName(RepositoryPaths.ScenariosDirectory)!, "devices.json"));
        Assert.That(rack.AdbEndpoint, Is.EqualTo("127.0.0.1:5037"));
        Assert.That(rack.Devices.Select(d => d.Serial), Is.EqualTo(new[] { "127.0.0.1:5611", "127.0.0.1:5613" }));
        Assert.That(rack.Devices.All(d => d.IsVirtual), Is.True);
    }

    [TestCase("""{"devices":[]}""", "devices", "no phones listed")]
    [TestCase("""{"devices":[{"model":"x"}]}""", "devices[0].serial", "needs its adb serial")]
    [TestCase("""{"devices":[{"serial":"a"},{"serial":"a"}]}""", "devices[1].serial", "listed twice")]
    [TestCase("""{"adb":"localhost","devices":[{"serial":"a"}]}""", "adb", "HOST:PORT")]
    [TestCase("""{"devices":[{"serial":"a"}""", "(json)", "not valid JSON")]
    public void A_bad_rack_file_names_the_field(string json, string field, string hint)
    {
        var error = Assert.Throws<BadInputException>(() => RackFile.Parse(Encoding.UTF8.GetBytes(json), "devices.json"))!;
        Assert.That(error.File, Is.EqualTo("devices.json"));
        Assert.That(error.Field, Is.EqualTo(field));
        Assert.That(error.Message, Does.Contain(hint));
    }

    private static readonly Dictionary<string, string> Environment = new() { ["MI_ID"] = "tester@example.org", ["MI_PW"] = "s3cret-pw" };

    private static RackFile ParseWithEnvironment(string json, string file = "devices.json") =>
        RackFile.Parse(Encoding.UTF8.GetBytes(json), file, name => Environment.GetValueOrDefault(name));

    [Test]
    public void Without_an_upstream_section_a_rack_forwards_with_the_system_store_and_has_no_account()
    {
        var rack = ParseWithEnvironment("""{"devices":[{"serial":"a"}]}""");
        Assert.That(rack.Settings.Upstream, Is.EqualTo(Harness.Proxy.UpstreamMode.Forward));
        Assert.That(rack.Settings.ConnectTo, Is.Empty);
        Assert.That(rack.Settings.ExtraCaFiles, Is.Empty);
        Assert.That(rack.Settings.AccountFor("a"), Is.Null);
    }

    [Test]
    public void Upstream_accounts_and_destinations_are_read_and_a_phone_account_wins()
    {
        var dir = Directory.CreateTempSubdirectory("harness-rack-").FullName;
        try
        {
            using (var ca = Harness.Proxy.Certificates.CertificateAuthority.LoadOrCreate(Path.Combine(dir, "ca")))
                File.WriteAllText(Path.Combine(dir, "lab-ca.pem"), ca.ExportPem());
            var rack = ParseWithEnvironment("""
                {
                  "upstream": {"mode": "sinkhole", "connect-to": ["*.miui.com:443=10.0.0.5:8443", "*=127.0.0.1:9000"], "ca": "lab-ca.pem"},
                  "account": {"id-env": "MI_ID", "password-env": "MI_PW"},
                  "destinations": {"intended": ["Example.ORG"], "vendors": ["vendor-analytics.test"]},
                  "devices": [{"serial": "a"}, {"serial": "b", "account": {"id-env": "MI_PW", "password-env": "MI_ID"}}]
                }
                """, Path.Combine(dir, "devices.json"));
            var settings = rack.Settings;
            Assert.That(settings.Upstream, Is.EqualTo(Harness.Proxy.UpstreamMode.Sinkhole));
            Assert.That(settings.ConnectTo.Select(r => r.ToString()), Is.EqualTo(new[] { "*.miui.com:443=10.0.0.5:8443", "*=127.0.0.1:9000" }));
            Assert.That(settings.ExtraCaFiles, Is.EqualTo(new[] { Path.Combine(dir, "lab-ca.pem") }), "relative to the rack file");
            Assert.That(settings.AccountFor("a")!.Id, Is.EqualTo("tester@example.org"));
            Assert.That(settings.AccountFor("b")!.Id, Is.EqualTo("s3cret-pw"));
            Assert.That(settings.AccountFor("a")!.ToString(), Does.Not.Contain("s3cret-pw"), "an account never prints its password");
            Assert.That(settings.IntendedHosts, Is.EqualTo(new[] { "example.org" }));
            Assert.That(settings.VendorDomains, Is.EqualTo(new[] { "vendor-analytics.test" }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestCase("""{"upstream":{"mode":"direct"},"devices":[{"serial":"a"}]}""", "upstream.mode", "not an upstream mode", 1)]
    [TestCase("""{"upstream":{"connect-to":["example.com"]},"devices":[{"serial":"a"}]}""", "upstream.connect-to[0]", "HOST[:PORT]=ADDRESS:PORT", 1)]
    [TestCase("""{"upstream":{"ca":"no-such-ca.pem"},"devices":[{"serial":"a"}]}""", "upstream.ca", "file not found", 1)]
    [TestCase("{\n\"account\": {\"id-env\": \"MI_ID\", \"password-env\": \"UNSET_VARIABLE\"},\n\"devices\":[{\"serial\":\"a\"}]}", "account.password-env", "UNSET_VARIABLE is not set", 2)]
    [TestCase("""{"devices":[{"serial":"a","account":{"id-env":"MI_ID","password":"inline"}}]}""", "devices[0].account.password", "does not belong in the rack file", 1)]
    [TestCase("""{"destinations":{"intended":["https://x.org/"]},"devices":[{"serial":"a"}]}""", "destinations.intended[0]", "host name", 1)]
    public void Bad_run_settings_name_the_field_and_its_line(string json, string field, string hint, int line)
    {
        var error = Assert.Throws<BadInputException>(() => ParseWithEnvironment(json))!;
        Assert.That(error.Field, Is.EqualTo(field));
        Assert.That(error.Message, Does.Contain(hint));
        Assert.That(error.Line, Is.EqualTo(line), error.Describe());
        Assert.That(error.Column, Is.Not.Null);
    }

    [Test]
    public async Task An_upstream_file_adds_its_rules_after_the_racks_and_its_ca()
    {
        var dir = Directory.CreateTempSubdirectory("harness-rack-").FullName;
        try
        {
            await using (var internet = Harness.VirtualDevice.Network.Internet.VirtualInternet.Start())
            {
                var (file, ca) = Harness.VirtualDevice.Network.Internet.VirtualInternetPublication.Write(internet, Path.Combine(dir, "ready.upstream.json"));
                var rack = ParseWithEnvironment("""{"upstream":{"connect-to":["a.test=127.0.0.1:1"]},"devices":[{"serial":"a"}]}""");
                var settings = RackSettingsParser.AddUpstreamFile(rack.Settings, file);
                Assert.That(settings.ConnectTo.Select(r => r.ToString()), Is.EqualTo(new[] { "a.test=127.0.0.1:1", $"*=127.0.0.1:{internet.EndPoint.Port}" }));
                Assert.That(settings.ExtraCaFiles, Is.EqualTo(new[] { ca }));
            }
            File.WriteAllText(Path.Combine(dir, "bad.json"), "{\n  \"connect-to\": [\"nonsense\"]\n}");
            var error = Assert.Throws<BadInputException>(() => RackSettingsParser.AddUpstreamFile(RackSettings.Default, Path.Combine(dir, "bad.json")))!;
            Assert.That(error.Describe(), Does.StartWith(Path.Combine(dir, "bad.json") + ":2:"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
