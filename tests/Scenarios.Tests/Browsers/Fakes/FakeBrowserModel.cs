using Harness.Browsers;

namespace Harness.Scenarios.Tests.Browsers.Fakes;

/// <summary>How one of the three browsers differs on screen, per the UI contract: package, address bar id, which versions have what.</summary>
public sealed record FakeBrowserModel(string Package, string LauncherComponent, string AddressBarId, string? EnhancedFrom, string? BottomMenuFrom)
{
    public static readonly FakeBrowserModel Mint = new("com.mi.globalbrowser.mini", "com.mi.globalbrowser.mini/com.android.browser.BrowserActivity", "url_bar", "3.4.3", "3.5.0");
    public static readonly FakeBrowserModel MiBrowser = new("com.mi.globalbrowser", "com.mi.globalbrowser/com.android.browser.BrowserActivity", "url", "12.1.4", null);
    public static readonly FakeBrowserModel MiuiBrowser = new("com.android.browser", "com.android.browser/.BrowserActivity", "url", null, null);

    public bool HasEnhanced(string version) => EnhancedFrom is not null && AppVersion.Parse(version).CompareTo(AppVersion.Parse(EnhancedFrom)) >= 0;
    public bool HasBottomMenu(string version) => BottomMenuFrom is not null && AppVersion.Parse(version).CompareTo(AppVersion.Parse(BottomMenuFrom)) >= 0;
}
