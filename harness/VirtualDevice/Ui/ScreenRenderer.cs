using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Ui;

/// <summary>Draws a UI tree as a picture: white screen, grey outlines for nodes, blue for focused, dark fill for buttons' text band.</summary>
public static class ScreenRenderer
{
    public static byte[] RenderPng(UiNode? root, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        pixels.AsSpan().Fill(0xFF);
        // Status bar, like every Android screen has.
        FillRect(pixels, width, height, new UiBounds(0, 0, width, Math.Min(66, height)), 0x30, 0x30, 0x30);
        if (root != null)
        {
            foreach (var node in root.DescendantsAndSelf().Where(n => n.Visible))
            {
                if (node.Text.Length > 0)
                {
                    var b = node.Bounds;
                    var band = Math.Min(24, Math.Max(1, (b.Bottom - b.Top) / 4));
                    var textWidth = Math.Min(b.Right - b.Left - 16, node.Text.Length * 24);
                    FillRect(pixels, width, height, new UiBounds(b.Left + 8, b.CenterY - band / 2, b.Left + 8 + Math.Max(0, textWidth), b.CenterY + band / 2), 0x20, 0x20, 0x20);
                }
                var (r, g, bl) = node.Focused ? ((byte)0x19, (byte)0x76, (byte)0xD2) : node.Clickable ? ((byte)0x60, (byte)0x60, (byte)0x60) : ((byte)0xC0, (byte)0xC0, (byte)0xC0);
                StrokeRect(pixels, width, height, node.Bounds, r, g, bl);
            }
        }
        return PngEncoder.EncodeRgb(width, height, pixels);
    }

    private static void StrokeRect(byte[] px, int w, int h, UiBounds b, byte r, byte g, byte bl)
    {
        FillRect(px, w, h, new UiBounds(b.Left, b.Top, b.Right, b.Top + 3), r, g, bl);
        FillRect(px, w, h, new UiBounds(b.Left, b.Bottom - 3, b.Right, b.Bottom), r, g, bl);
        FillRect(px, w, h, new UiBounds(b.Left, b.Top, b.Left + 3, b.Bottom), r, g, bl);
        FillRect(px, w, h, new UiBounds(b.Right - 3, b.Top, b.Right, b.Bottom), r, g, bl);
    }

    private static void FillRect(byte[] px, int w, int h, UiBounds b, byte r, byte g, byte bl)
    {
        var x0 = Math.Clamp(b.Left, 0, w);
        var x1 = Math.Clamp(b.Right, 0, w);
        var y0 = Math.Clamp(b.Top, 0, h);
        var y1 = Math.Clamp(b.Bottom, 0, h);
        for (var y = y0; y < y1; y++)
        {
            var row = y * w * 3;
            for (var x = x0; x < x1; x++)
            {
                var i = row + x * 3;
                px[i] = r; px[i + 1] = g; px[i + 2] = bl;
            }
        }
    }
}
