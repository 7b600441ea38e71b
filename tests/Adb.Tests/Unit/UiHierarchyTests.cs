using Harness.Adb;
using Harness.Adb.Ui;

namespace Harness.Adb.Tests.Unit;

public sealed class UiHierarchyTests
{
    private const string Dump =
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">" +
        "<node index=\"0\" text=\"\" resource-id=\"\" class=\"android.widget.FrameLayout\" package=\"com.mi.globalbrowser\" content-desc=\"\" clickable=\"false\" enabled=\"true\" bounds=\"[0,0][1080,2340]\">" +
        "<node index=\"0\" text=\"Search or type URL\" resource-id=\"com.mi.globalbrowser:id/url\" class=\"android.widget.EditText\" package=\"com.mi.globalbrowser\" content-desc=\"\" clickable=\"true\" enabled=\"true\" bounds=\"[40,100][1040,200]\" />" +
        "<node index=\"1\" text=\"Go\" resource-id=\"com.mi.globalbrowser:id/go\" class=\"android.widget.Button\" package=\"com.mi.globalbrowser\" content-desc=\"Navigate\" clickable=\"true\" enabled=\"true\" bounds=\"[900,210][1060,290]\" />" +
        "<node index=\"2\" text=\"Go\" resource-id=\"\" class=\"android.widget.TextView\" package=\"com.mi.globalbrowser\" content-desc=\"\" bounds=\"weird\" />" +
        "</node></hierarchy>";

    [Test]
    public void Extracts_the_dump_from_surrounding_noise()
    {
        var raw = "noise\r\n" + Dump + "UI hierchary dumped to: /dev/tty\r\n";
        Assert.That(UiHierarchy.ExtractXml(raw), Is.EqualTo(Dump));
        Assert.That(UiHierarchy.ExtractXml("ERROR: could not get idle state.\n"), Is.Null);
    }

    [Test]
    public void Builds_the_tree_with_bounds_centre_and_attributes()
    {
        var hierarchy = UiHierarchy.Parse(Dump);
        var root = hierarchy.Roots.Single();
        Assert.That(root.Children, Has.Count.EqualTo(3));
        Assert.That(root.Bounds, Is.EqualTo(new UiBounds(0, 0, 1080, 2340)));
        var url = root.Children[0];
        Assert.That(url.Parent, Is.SameAs(root));
        Assert.That(url.Center, Is.EqualTo(new UiPoint(540, 150)));
        Assert.That(url.ClassName, Is.EqualTo("android.widget.EditText"));
        Assert.That(url.Clickable, Is.True);
        Assert.That(url.Attributes["package"], Is.EqualTo("com.mi.globalbrowser"));
        Assert.That(root.Children[2].Bounds, Is.Null);
        Assert.Throws<InvalidOperationException>(() => _ = root.Children[2].Center);
    }

    [Test]
    public void Finds_by_resource_id_full_or_short()
    {
        var hierarchy = UiHierarchy.Parse(Dump);
        Assert.That(hierarchy.Find(UiSelector.ResourceId("com.mi.globalbrowser:id/go"))?.Text, Is.EqualTo("Go"));
        Assert.That(hierarchy.Find(UiSelector.ResourceId("go"))?.ClassName, Is.EqualTo("android.widget.Button"));
        Assert.That(hierarchy.Find(UiSelector.ResourceId("nope")), Is.Null);
    }

    [Test]
    public void Finds_by_text_description_class_and_xpath()
    {
        var hierarchy = UiHierarchy.Parse(Dump);
        Assert.That(hierarchy.FindAll(UiSelector.Text("Go")), Has.Count.EqualTo(2));
        Assert.That(hierarchy.Find(UiSelector.ContentDescription("Navigate"))?.ResourceId, Is.EqualTo("com.mi.globalbrowser:id/go"));
        Assert.That(hierarchy.FindAll(UiSelector.ClassName("android.widget.EditText")).Single().Text, Is.EqualTo("Search or type URL"));
        Assert.That(hierarchy.Find(UiSelector.XPath("//node[@text='Go' and @clickable='true']"))?.Center, Is.EqualTo(new UiPoint(980, 250)));
        Assert.That(hierarchy.FindAll(UiSelector.XPath("/hierarchy/node/node")), Has.Count.EqualTo(3));
        Assert.That(hierarchy.FindAll(UiSelector.XPath("//node/@content-desc[.='Navigate']")).Single().Text, Is.EqualTo("Go"));
        Assert.That(hierarchy.FindAll(UiSelector.XPath("//node[@text='absent']")), Is.Empty);
    }

    [Test]
    public void Invalid_xpath_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => UiHierarchy.Parse(Dump).FindAll(UiSelector.XPath("//node[")));
    }

    [TestCase("UI hierchary dumped to: /dev/tty")]
    [TestCase("<?xml version='1.0' ?><hierarchy><node></hierarchy>")]
    [TestCase("<?xml version='1.0' ?><hierarchy rotation=\"0\"><node bounds=\"[0,0][1,1]\"")]
    public void Malformed_dumps_throw(string raw)
    {
        Assert.Catch<AdbProtocolException>(() => UiHierarchy.Parse(raw));
    }

    [TestCase("[0,0][10,20]", 0, 0, 10, 20)]
    [TestCase("[-5,3][5,7]", -5, 3, 5, 7)]
    public void Bounds_parse(string text, int l, int t, int r, int b)
    {
        Assert.That(UiBounds.Parse(text), Is.EqualTo(new UiBounds(l, t, r, b)));
    }

    [TestCase("")]
    [TestCase("[0,0]")]
    [TestCase("[a,b][c,d]")]
    [TestCase("[0,0][1,1] ")]
    public void Bad_bounds_throw(string text)
    {
        Assert.Throws<FormatException>(() => UiBounds.Parse(text));
    }
}
