namespace Harness.VirtualDevice.Network.Internet;

/// <summary>Host names the virtual internet serves with more than a generic page.</summary>
public static class VirtualInternetHosts
{
    /// <summary>Sensors Analytics, self-hosted by the vendor (docs/architecture.md, "What is known about the browsers").</summary>
    public const string SensorsAnalytics = "sa.api.intl.miui.com";

    /// <summary>MiStat, the vendor's own analytics (docs/architecture.md, "What is known about the browsers"; one source).</summary>
    public const string MiStat = "data.mistat.intl.xiaomi.com";

    public const string ConnectivityCheck = "connectivitycheck.gstatic.com";

    /// <summary>MIUI's own captive-portal check.</summary>
    public const string MiuiConnectivityCheck = "connect.rom.miui.com";

    /// <summary>The browser/app update check (host not in the public record; stands in for background noise).</summary>
    public const string UpdateCheck = "update.intl.miui.com";

    public const string Google = "www.google.com";

    public const string DuckDuckGo = "duckduckgo.com";
}
