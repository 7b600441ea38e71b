namespace Harness.VirtualDevice.Browsers;

/// <summary>
/// What is fixed for one browser product across its versions: package, ids, hosts and analytics project.
/// <see cref="TwoStepAddressBar"/>: the home screen shows a search hint (id/search_hint) that must be tapped before the
/// address field (id/url) exists, as public Appium tests of the real Mi Browser do it.
/// </summary>
public sealed record BrowserFlavor(
    string Id,
    string Kind,
    string Package,
    string LauncherActivity,
    string AddressBarId,
    string UserAgentToken,
    string UserAgentVersionSuffix,
    string SensorsProject,
    string SensorsHost,
    string MiStatHost,
    string SyncHost,
    string NewsHost,
    string MiStatAppId,
    bool ChinaBuild,
    bool TwoStepAddressBar = false)
{
    /// <summary>Resource id (without package) of the home screen's search hint that opens the address field (<see cref="TwoStepAddressBar"/>).</summary>
    public const string SearchHintId = "search_hint";

    /// <summary>The app's User-Agent (Chromium 61 WebView, as the 2020 builds were).</summary>
    public string UserAgent(string androidRelease, string model, string version) =>
        $"Mozilla/5.0 (Linux; U; Android {androidRelease}; {model} Build/QKQ1) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/61.0.3163.128 Mobile Safari/537.36 {UserAgentToken}{version}{UserAgentVersionSuffix}";
}
