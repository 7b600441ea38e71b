namespace Harness.VirtualDevice.Android;

/// <summary>What a phone model reports about itself (getprop, banner, screen size) and whether it is rooted.</summary>
public sealed record PhoneProfile(
    string DisplayName,
    string Manufacturer,
    string Brand,
    string Model,
    string ProductName,
    string Device,
    string Release,
    int Sdk,
    string BuildId,
    string Incremental,
    string SerialNumber,
    bool Rooted,
    int ScreenWidth = 1080,
    int ScreenHeight = 2340,
    int Density = 440,
    string Locale = "en-US")
{
    public string Fingerprint => $"{Brand}/{ProductName}/{Device}:{Release}/{BuildId}/{Incremental}:user/release-keys";

    /// <summary>The devices of the original report (and one Android 14 build, where the CA store lives in the conscrypt APEX).</summary>
    public static IReadOnlyList<PhoneProfile> BuiltIn { get; } =
    [
        new("Redmi Note 8", "Xiaomi", "xiaomi", "Redmi Note 8", "ginkgo", "ginkgo", "10", 29, "QKQ1.200114.002", "V12.0.3.0.QCOEUXM", "3f5a91c7", Rooted: false),
        new("Mi A1", "Xiaomi", "xiaomi", "Mi A1", "tissot", "tissot_sprout", "9", 28, "PKQ1.180917.001", "V10.0.24.0.PDHMIXM", "7d21e0b4", Rooted: false, ScreenHeight: 1920, Density: 480),
        new("Mi 10", "Xiaomi", "Xiaomi", "Mi 10", "umi_global", "umi", "14", 34, "UKQ1.231003.002", "V816.0.5.0.UJBMIXM", "a93c4e12", Rooted: true),
        new("Redmi K20", "Xiaomi", "Xiaomi", "Redmi K20", "davinci", "davinci", "11", 30, "RKQ1.200826.002", "V12.5.1.0.RFJCNXM", "c0e8b2f6", Rooted: true),
        new("Mi MIX 3", "Xiaomi", "Xiaomi", "MI MIX 3", "perseus", "perseus", "10", 29, "QKQ1.190828.002", "V12.0.3.0.QEECNXM", "5b7f0d38", Rooted: false),
    ];

    /// <summary>Finds a built-in profile by display name, model or device code name, ignoring case, spaces and underscores.</summary>
    public static PhoneProfile? FindBuiltIn(string name)
    {
        static string Key(string s) => s.Replace(" ", "").Replace("_", "").ToLowerInvariant();
        var key = Key(name);
        return BuiltIn.FirstOrDefault(p => Key(p.DisplayName) == key || Key(p.Model) == key || Key(p.Device) == key);
    }
}
