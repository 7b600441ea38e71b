using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Browsers;

/// <summary>The three browsers and the versions of the public record that the virtual phone ships.</summary>
public static class BrowserCatalog
{
    public static readonly BrowserFlavor Mint = new(
        "mint", "browser.mint", "com.mi.globalbrowser.mini", "com.android.browser.BrowserActivity", "url_bar",
        "XiaoMi/Mint Browser/", "", "global_browser_mini", "sa.api.intl.miui.com", "data.mistat.intl.xiaomi.com",
        "sync.browser.intl.miui.com", "news.browser.intl.miui.com", "2882303761517855553", ChinaBuild: false);

    public static readonly BrowserFlavor MiBrowser = new(
        "mibrowser", "browser.mibrowser", "com.mi.globalbrowser", "com.android.browser.BrowserActivity", "url",
        "XiaoMi/MiuiBrowser/", "-g", "global_browser", "sa.api.intl.miui.com", "data.mistat.intl.xiaomi.com",
        "sync.browser.intl.miui.com", "news.browser.intl.miui.com", "2882303761517492009", ChinaBuild: false, TwoStepAddressBar: true);

    public static readonly BrowserFlavor MiuiChina = new(
        "miuibrowser", "browser.miui-cn", "com.android.browser", ".BrowserActivity", "url",
        "XiaoMi/MiuiBrowser/", "", "browser_cn", "sa.api.browser.miui.com", "data.mistat.xiaomi.com",
        "sync.browser.miui.com", "news.browser.miui.com", "2882303761517136790", ChinaBuild: true);

    /// <summary>The third party miuibrowser@13.1.0 reports the IMEI hash to (a reserved name: the simulation's).</summary>
    public const string ImeiHashCollector = "collect.adpartner.example";

    private static readonly BrowserVersionTraits Leaky = new() { SendsBrowsingInIncognito = true };
    private static readonly BrowserVersionTraits Fixed = new() { HasEnhancedIncognito = true };

    public static IReadOnlyList<BrowserFlavor> Flavors { get; } = [Mint, MiBrowser, MiuiChina];

    public static IReadOnlyList<BrowserVersion> Versions { get; } =
    [
        new(Mint, "3.4.0", 340, Leaky),
        new(Mint, "3.4.3", 343, Fixed),
        new(Mint, "3.4.4", 344, Fixed),
        // Simulation only: encrypts its Sensors uploads (gzip=9) and sends browsing events in incognito whatever the
        // Enhanced Incognito switch says; a proxy sees only ciphertext whose size follows the URL (differential runs).
        new(Mint, "3.5.0", 350, Fixed with { MenuButtonId = "bottom_menu", SendsBrowsingInIncognito = true, EncryptsUploads = true }),
        // Simulation only: its config endpoint answers a web page, so the SDK never starts uploading (telemetry silent).
        new(Mint, "3.5.1", 351, Fixed with { MenuButtonId = "bottom_menu", SensorsConfigPath = "/sdk/config/Android.conf", UploadsNeedRemoteConfig = true }),
        new(Mint, "3.5.2", 352, Fixed with { MenuButtonId = "bottom_menu" }),
        new(MiBrowser, "12.1.3", 121030, Leaky),
        new(MiBrowser, "12.1.4", 121040, Fixed),
        // Simulation only: browsing events in incognito as in 2020, uploaded over QUIC unless UDP 443 is dropped for its uid.
        new(MiBrowser, "12.2.0", 122000, Leaky with { HasEnhancedIncognito = true, TelemetryOverQuic = true }),
        new(MiBrowser, "12.2.6", 122060, Fixed),
        new(MiuiChina, "12.1.2", 121020, Leaky),
        new(MiuiChina, "13.0.1", 130010, Leaky),
        // Simulation only: an ad SDK sends the IMEI's SHA-256 to a third party at every start.
        new(MiuiChina, "13.1.0", 131000, Leaky with { ImeiSha256To = ImeiHashCollector }),
    ];

    /// <summary>
    /// Builds the shipped profiles do not know, for practising `harness profile check`: a Mi Browser update inside the
    /// profile's version range whose resource-ids were renamed while every label stayed (as a refactored toolbar ships).
    /// Not part of <see cref="Versions"/>: the shipped profiles are not expected to drive them.
    /// </summary>
    public static IReadOnlyList<BrowserVersion> UnknownBuilds { get; } =
    [
        new(MiBrowser, "12.2.8", 122080, Fixed with
        {
            MenuButtonId = "toolbar_menu_button",
            ResourceIds = new Dictionary<string, string>
            {
                ["search_hint"] = "search_hint_view", ["url"] = "url_edit", ["tabs_button"] = "toolbar_tabs_button",
                ["incognito_indicator"] = "incognito_icon", ["page_title"] = "web_page_title", ["news_item"] = "news_card",
                ["menu_new_incognito_tab"] = "popup_new_incognito_tab", ["menu_settings"] = "popup_settings", ["menu_clear_data"] = "popup_clear_data",
                ["incognito_mode_switch"] = "incognito_mode_pref", ["enhanced_incognito_switch"] = "enhanced_incognito_pref",
                ["account_row"] = "account_pref", ["account_status"] = "account_status_summary", ["account_id_input"] = "account_id_edit",
                ["password_input"] = "password_edit", ["sign_in_button"] = "sign_in_btn", ["sign_out_button"] = "sign_out_btn",
                ["sync_switch"] = "sync_history_pref",
            },
        }),
    ];

    /// <summary>"mint@3.4.0", "mibrowser@12.1.3", "miuibrowser@13.0.1" (or the package name instead of the id); also <see cref="UnknownBuilds"/>.</summary>
    public static BrowserVersion? Find(string name)
    {
        var at = name.IndexOf('@');
        if (at <= 0) return null;
        var who = name[..at].Trim();
        var version = name[(at + 1)..].Trim();
        return Versions.Concat(UnknownBuilds).FirstOrDefault(v => (v.Flavor.Id.Equals(who, StringComparison.OrdinalIgnoreCase) || v.Flavor.Package == who) && v.VersionName == version);
    }

    /// <summary>The app kinds to register in a <see cref="VirtualAppCatalog"/>.</summary>
    public static IEnumerable<VirtualAppKind> AppKinds() =>
        Flavors.Select(f => new VirtualAppKind(f.Kind, f.LauncherActivity, context => new BrowserApp(context, f)));
}
