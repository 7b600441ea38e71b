using Harness.VirtualDevice.Apps;
using Harness.VirtualDevice.Ui;

namespace Harness.VirtualDevice.Tests.Unit;

public sealed class UiAutomatorDumperTests
{
    [Test]
    public void WritesOneLineWithTheDumperAttributeOrder()
    {
        var root = new UiNode
        {
            ClassName = "android.widget.FrameLayout", Bounds = new UiBounds(0, 0, 100, 200),
            Children = [new UiNode { ClassName = "android.widget.ImageButton", ResourceId = "p:id/b", Clickable = true, Bounds = new UiBounds(1, 2, 3, 4) },
                        new UiNode { ClassName = "android.widget.TextView", Text = "a<b>&\"c\"", Bounds = new UiBounds(5, 6, 7, 8) },
                        new UiNode { ClassName = "android.widget.TextView", Text = "hidden", Visible = false, Bounds = new UiBounds(5, 6, 7, 8) }],
        };
        var xml = UiAutomatorDumper.Dump(root, "p");
        Assert.That(xml, Is.EqualTo(
            "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">" +
            "<node index=\"0\" text=\"\" resource-id=\"\" class=\"android.widget.FrameLayout\" package=\"p\" content-desc=\"\" checkable=\"false\" checked=\"false\" clickable=\"false\" enabled=\"true\" focusable=\"false\" focused=\"false\" scrollable=\"false\" long-clickable=\"false\" password=\"false\" selected=\"false\" bounds=\"[0,0][100,200]\">" +
            "<node NAF=\"true\" index=\"0\" text=\"\" resource-id=\"p:id/b\" class=\"android.widget.ImageButton\" package=\"p\" content-desc=\"\" checkable=\"false\" checked=\"false\" clickable=\"true\" enabled=\"true\" focusable=\"false\" focused=\"false\" scrollable=\"false\" long-clickable=\"false\" password=\"false\" selected=\"false\" bounds=\"[1,2][3,4]\" />" +
            "<node index=\"1\" text=\"a&lt;b&gt;&amp;&quot;c&quot;\" resource-id=\"\" class=\"android.widget.TextView\" package=\"p\" content-desc=\"\" checkable=\"false\" checked=\"false\" clickable=\"false\" enabled=\"true\" focusable=\"false\" focused=\"false\" scrollable=\"false\" long-clickable=\"false\" password=\"false\" selected=\"false\" bounds=\"[5,6][7,8]\" />" +
            "</node></hierarchy>"));
    }

    [Test]
    public void PngOfTheScreenDecodes()
    {
        var png = ScreenRenderer.RenderPng(new UiNode { ClassName = "x", Text = "hi", Bounds = new UiBounds(10, 100, 90, 150) }, 100, 200);
        var (w, h, raw) = PngTestDecoder.Decode(png);
        Assert.That((w, h), Is.EqualTo((100, 200)));
        Assert.That(raw[0], Is.Zero, "filter byte of the first row");
        byte Red(int x, int y) => raw[y * (1 + 100 * 3) + 1 + x * 3];
        Assert.That(Red(20, 125), Is.EqualTo(0x20), "the text band of the node is drawn");
        Assert.That(Red(50, 180), Is.EqualTo(0xFF), "outside every node the screen is white");
    }

    [Test]
    public void Crc32MatchesTheKnownCheckValue()
    {
        Assert.That(Crc32.Compute("123456789"u8), Is.EqualTo(0xCBF43926));
    }
}
