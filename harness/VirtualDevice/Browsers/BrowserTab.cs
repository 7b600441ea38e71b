namespace Harness.VirtualDevice.Browsers;

/// <summary>One tab: incognito or not, and its history of pages (the last one is shown).</summary>
public sealed class BrowserTab(bool incognito)
{
    public bool Incognito { get; set; } = incognito;
    public List<BrowserPage> History { get; } = [];
    public BrowserPage? Current => History.Count > 0 ? History[^1] : null;
}
