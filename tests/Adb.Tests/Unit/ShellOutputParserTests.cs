using Harness.Adb;
using Harness.Adb.Parsing;

namespace Harness.Adb.Tests.Unit;

public sealed class ShellOutputParserTests
{
    [Test]
    public void Getprop_lines_become_a_dictionary_and_junk_is_ignored()
    {
        var output = "[ro.product.model]: [Redmi Note 8]\r\n[ro.build.version.sdk]: [29]\n[empty]: []\nnot a property\n[broken: [x]\n";
        var properties = GetPropParser.Parse(output);
        Assert.That(properties["ro.product.model"], Is.EqualTo("Redmi Note 8"));
        Assert.That(properties["ro.build.version.sdk"], Is.EqualTo("29"));
        Assert.That(properties["empty"], Is.EqualTo(""));
        Assert.That(properties, Has.Count.EqualTo(3));
    }

    [Test]
    public void Package_list_handles_plain_path_and_versioncode_forms()
    {
        var output = "package:com.android.browser\npackage:/data/app/com.mi.globalbrowser-1/base.apk=com.mi.globalbrowser\r\n"
                   + "package:com.mi.globalbrowser.mini versionCode:123\n\nWARNING: linker\n";
        Assert.That(PackageListParser.Parse(output), Is.EqualTo(new[] { "com.android.browser", "com.mi.globalbrowser", "com.mi.globalbrowser.mini" }));
        Assert.That(PackageListParser.Parse(""), Is.Empty);
    }

    [Test]
    public void Dumpsys_package_takes_the_first_version_lines()
    {
        var output = "Packages:\n  Package [com.mi.globalbrowser] (abc):\n    versionCode=12100160 minSdk=21 targetSdk=28\n    versionName=12.10.0-gn\n"
                   + "  Hidden system packages:\n    versionCode=100 minSdk=21 targetSdk=28\n    versionName=1.0\n";
        Assert.That(PackageVersionParser.Parse("com.mi.globalbrowser", output), Is.EqualTo(new PackageVersion("com.mi.globalbrowser", "12.10.0-gn", 12100160)));
    }

    [Test]
    public void Dumpsys_package_without_version_name_means_not_installed()
    {
        Assert.That(PackageVersionParser.Parse("com.x", "Unable to find package: com.x\n"), Is.Null);
        Assert.That(PackageVersionParser.Parse("com.x", ""), Is.Null);
    }

    [Test]
    public void Dumpsys_package_with_out_of_range_version_code_throws()
    {
        Assert.Throws<AdbProtocolException>(() => PackageVersionParser.Parse("x", "    versionCode=99999999999999999999999\n    versionName=1\n"));
    }

    [Test]
    public void Settings_get_maps_null_and_keeps_values()
    {
        Assert.That(SettingsOutputParser.ParseGet("null\n"), Is.Null);
        Assert.That(SettingsOutputParser.ParseGet("127.0.0.1:8888\r\n"), Is.EqualTo("127.0.0.1:8888"));
        Assert.That(SettingsOutputParser.ParseGet(":0\n"), Is.EqualTo(":0"));
        Assert.That(SettingsOutputParser.ParseGet("\n"), Is.EqualTo(""));
        Assert.That(SettingsOutputParser.IsSilentSuccess(""), Is.True);
        Assert.That(SettingsOutputParser.IsSilentSuccess("Deleted 1 rows"), Is.True);
        Assert.That(SettingsOutputParser.IsSilentSuccess("Invalid namespace 'x'"), Is.False);
        Assert.That(SettingsOutputParser.NamespaceName(SettingsNamespace.Secure), Is.EqualTo("secure"));
    }

    [Test]
    public void Forward_lists_have_three_fields_per_line()
    {
        var entries = ForwardListParser.Parse("(reverse) tcp:8888 tcp:9999\nserial1 tcp:1 tcp:2\n");
        Assert.That(entries, Is.EqualTo(new[] { new ForwardEntry("(reverse)", "tcp:8888", "tcp:9999"), new ForwardEntry("serial1", "tcp:1", "tcp:2") }));
        Assert.That(ForwardListParser.Parse(""), Is.Empty);
        Assert.Throws<AdbProtocolException>(() => ForwardListParser.Parse("only two\n"));
    }

    [TestCase("connected to 127.0.0.1:5555", true)]
    [TestCase("already connected to 127.0.0.1:5555", true)]
    [TestCase("failed to connect to '127.0.0.1:5555': Connection refused", false)]
    [TestCase("failed to authenticate to 127.0.0.1:5555", false)]
    [TestCase("", false)]
    public void Connect_text_decides_success(string text, bool connected)
    {
        Assert.That(ConnectReplyParser.IsConnected(text), Is.EqualTo(connected));
    }

    [Test]
    public void Df_parses_toybox_kib_and_toolbox_units()
    {
        var toybox = "Filesystem     1K-blocks    Used Available Use% Mounted on\n/dev/block/dm-2 52403200 10485760 41917440  21% /data\n";
        var usage = DiskFreeParser.Parse(toybox).Single();
        Assert.That((usage.MountedOn, usage.AvailableBytes, usage.SizeBytes), Is.EqualTo(("/data", 41917440L * 1024, 52403200L * 1024)));
        var toolbox = "Filesystem Size Used Free Blksize\n/data 12.5G 2.5G 10.0G 4096\n";
        Assert.That(DiskFreeParser.Parse(toolbox).Single().AvailableBytes, Is.EqualTo(10L * 1024 * 1024 * 1024));
        Assert.That(DiskFreeParser.Parse("df: /nope: No such file or directory\n"), Is.Empty);
    }

    [Test]
    public void Focused_activity_from_activity_and_window_dumps()
    {
        Assert.That(FocusedActivityParser.Parse("  mResumedActivity: ActivityRecord{5d2 u0 com.mi.globalbrowser/com.android.browser.BrowserActivity t12}\n")?.ToString(),
            Is.EqualTo("com.mi.globalbrowser/com.android.browser.BrowserActivity"));
        Assert.That(FocusedActivityParser.Parse("  mCurrentFocus=Window{a1 u0 com.app/.Main}\n")?.ToString(), Is.EqualTo("com.app/.Main"));
        Assert.That(FocusedActivityParser.Parse("  mCurrentFocus=null\n"), Is.Null);
    }
}
