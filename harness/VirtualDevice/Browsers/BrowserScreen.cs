namespace Harness.VirtualDevice.Browsers;

/// <summary>The full-screen views of a browser (the menu and the clear-data dialog are overlays on top of one).</summary>
public enum BrowserScreen
{
    Browser,
    Tabs,
    Settings,
    SignIn,
    Account,
}
