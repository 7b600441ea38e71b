namespace Harness.VirtualDevice.Browsers;

/// <summary>A page shown in a tab: its URL, its title, and what the address bar shows for it.</summary>
public sealed record BrowserPage(string Url, string Title, string DisplayUrl);
