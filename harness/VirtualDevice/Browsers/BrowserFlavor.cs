namespace Harness.VirtualDevice.Browsers;

/// <summary>What is fixed for one browser product across its versions: package, ids, hosts and analytics project.</summary>
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
    bool ChinaBuild)
{
    /// <summary>The app's User-Agent (Chromium 61 WebView, as the 2020 builds were).</summary>
    public string UserAgent(string androidRelease, string model, string version) =>
        $"Mozilla/5.0 (Linux; U; Android {androidRelease}; {model} Build/QKQ1) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/61.0.3163.128 Mobile Safari/537.36 {UserAgentToken}{version}{UserAgentVersionSuffix}";
}
