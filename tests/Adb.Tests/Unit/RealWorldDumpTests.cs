using System.Text;
using Harness.Adb;
using Harness.Adb.Ui;
using Harness.TestSupport;

namespace Harness.Adb.Tests.Unit;

/// <summary>
/// Dumps that real phones and tools wrote (MIUI with a stack trace, a failed MIUI dump, a BOM and trailer, uiautomator2's
/// indented two-window dump, vivo and SystemUI in Chinese, NAF nodes) through the parser the driver uses.
/// </summary>
public sealed class RealWorldDumpTests
{
    private static string Read(string name) => File.ReadAllText(RealWorldArtifacts.File("uiautomator", name), Encoding.UTF8);

    [Test]
    public void Every_real_dump_loads_or_fails_with_a_typed_error()
    {
        var files = RealWorldArtifacts.Files("uiautomator");
        Assert.That(files, Has.Count.GreaterThanOrEqualTo(9));
        foreach (var file in files)
        {
            var raw = File.ReadAllText(file, Encoding.UTF8);
            if (Path.GetFileName(file) == "asac-miui-dump-tty-error.txt")
            {
                Assert.Throws<UiDumpFailedException>(() => UiHierarchy.Parse(raw), file);
                continue;
            }
            var hierarchy = UiHierarchy.Parse(raw);
            var elements = hierarchy.AllElements.ToList();
            Assert.That(elements, Has.Count.GreaterThan(30), file);
            Assert.That(elements.All(e => e.Package.Length > 0 && e.ClassName.Length > 0), file);
            Assert.That(elements.Count(e => e.Bounds is not null), Is.EqualTo(elements.Count), file + ": every node has bounds");
        }
    }

    [Test]
    public void Miui_stack_trace_before_the_xml_is_skipped()
    {
        var hierarchy = UiHierarchy.Parse(Read("asac-miui-dump-tty-with-stacktrace.txt"));
        Assert.That(hierarchy.Roots.Single().Package, Is.EqualTo("com.bilibili.app.in"));
        Assert.That(hierarchy.AllElements.Count(), Is.EqualTo(145));
        Assert.That(hierarchy.Xml, Does.StartWith("<?xml"));
    }

    [Test]
    public void Failed_miui_dump_names_the_exception_and_is_not_transient()
    {
        var failure = Assert.Throws<UiDumpFailedException>(() => UiHierarchy.Parse(Read("asac-miui-dump-tty-error.txt")))!;
        Assert.That(failure.Message, Does.Contain("java.io.FileNotFoundException"));
        Assert.That(failure.Message, Does.Contain("MIUI"));
        Assert.That(failure.Transient, Is.False);
        Assert.That(failure, Is.InstanceOf<AdbProtocolException>(), "the driver treats every protocol error as 'no dump yet'");
    }

    [Test]
    public void Could_not_get_idle_state_is_a_transient_failure()
    {
        var failure = Assert.Throws<UiDumpFailedException>(() => UiHierarchy.Parse("ERROR: could not get idle state.\n"))!;
        Assert.That(failure.Transient, Is.True);
        Assert.That(failure.Reason, Does.Contain("idle state"));
    }

    [Test]
    public void Bom_and_trailer_are_ignored()
    {
        var raw = Read("asac-dump-tty-bom.txt");
        var hierarchy = UiHierarchy.Parse(raw);
        Assert.That(hierarchy.Xml, Does.EndWith("</hierarchy>"));
        Assert.That(hierarchy.FindAll(UiSelector.Text("粉丝")), Has.Count.EqualTo(1));
    }

    [Test]
    public void Uiautomator2_indented_multi_window_dump_has_one_root_per_window()
    {
        var hierarchy = UiHierarchy.Parse(Read("u2-pretty-multiwindow-hexin-dump.xml"));
        Assert.That(hierarchy.Roots.Select(r => r.Package), Is.EqualTo(new[] { "com.android.systemui", "com.hexin.plat.android" }));
        var first = hierarchy.AllElements.First(e => e.Attributes.ContainsKey("display-id"));
        Assert.That(first.Get("visible-to-user"), Is.AnyOf("true", "false"), "uiautomator2's extra attributes stay readable");
        Assert.That(hierarchy.AllElements.All(e => !e.Text.Contains('\r')), "indentation is not text");
    }

    [Test]
    public void Chinese_labels_and_naf_nodes_are_found()
    {
        var launcher = UiHierarchy.Parse(Read("vivo-launcher-current_ui.xml"));
        Assert.That(launcher.FindAll(UiSelector.Text("应用建议")), Is.Not.Empty);
        var wework = UiHierarchy.Parse(Read("vivo-wework-window_dump.xml"));
        Assert.That(wework.FindAll(UiSelector.Text("消息")), Is.Not.Empty);
        Assert.That(wework.AllElements.Count(e => e.Get("NAF") == "true"), Is.EqualTo(5));
        var lockScreen = UiHierarchy.Parse(Read("systemui-appui.xml"));
        Assert.That(lockScreen.AllElements.Any(e => e.Text == "3月23日 周一"));
    }
}
