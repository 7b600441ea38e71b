namespace Harness.Scenarios.Tests.Browsers.Fakes;

internal enum BrowserScreen
{
    Launcher,
    Home,
    Page,
    Menu,
    Settings,
    SignIn,
    Account,
    Dialog,
    Tabs,
}
