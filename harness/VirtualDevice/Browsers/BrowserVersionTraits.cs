using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.VirtualDevice.Browsers;

/// <summary>
/// What changes between versions of one browser, carried in the virtual APK's "behaviour" object so that an APK
/// file alone says how the installed version behaves.
/// </summary>
public sealed record BrowserVersionTraits
{
    /// <summary>Browsing events are sent in every mode, incognito included (the builds of the 2020 report).</summary>
    [JsonPropertyName("sendsBrowsingInIncognito")] public bool SendsBrowsingInIncognito { get; init; }

    /// <summary>Settings has "Enhanced Incognito Mode" (the fix of 2020-05-04).</summary>
    [JsonPropertyName("enhancedIncognito")] public bool HasEnhancedIncognito { get; init; }

    /// <summary>Resource id (without package) of the toolbar's menu button.</summary>
    [JsonPropertyName("menuButtonId")] public string MenuButtonId { get; init; } = "menu_button";

    /// <summary>
    /// Resource ids this build renamed: the id the other builds use (without package) → this build's. Labels stay.
    /// Empty for every shipped version.
    /// </summary>
    [JsonPropertyName("resourceIds")] public IReadOnlyDictionary<string, string> ResourceIds { get; init; } = new Dictionary<string, string>();

    /// <summary>This build's id for a view the other builds call <paramref name="name"/>.</summary>
    public string ResourceName(string name) => ResourceIds.TryGetValue(name, out var renamed) ? renamed : name;

    /// <summary>The inverse of <see cref="ResourceName"/>: which view this build's id is.</summary>
    public string CanonicalName(string resourceName) => ResourceIds.FirstOrDefault(p => p.Value == resourceName).Key ?? resourceName;

    /// <summary>
    /// The version's network security config trusts user-installed CAs. No shipped version does (Chromium forks
    /// targeting API ≥ 24 trust the system store only); a test APK may set it.
    /// </summary>
    [JsonPropertyName("trustUserCas")] public bool TrustsUserCertificates { get; init; }

    /// <summary>Path of the Sensors remote-config fetch; null for the SDK's own (/config/Android.conf).</summary>
    [JsonPropertyName("sensorsConfigPath"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public string? SensorsConfigPath { get; init; }

    /// <summary>
    /// The SDK starts uploading only once its remote config was read; when the fetch fails it keeps every event in its
    /// database and sends nothing (a build whose config endpoint moved: silent telemetry, not absent collection).
    /// </summary>
    [JsonPropertyName("uploadsNeedConfig"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool UploadsNeedRemoteConfig { get; init; }

    /// <summary>
    /// The Sensors SDK posts through Cronet with a QUIC hint for its host: its uploads go over UDP 443 past the HTTP
    /// proxy, and fall back to TCP (through the proxy) only when the kernel drops the datagrams.
    /// </summary>
    [JsonPropertyName("telemetryOverQuic"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool TelemetryOverQuic { get; init; }

    /// <summary>
    /// An ad SDK in the build reports the SHA-256 (hex) of the phone's IMEI to this third-party host at every start
    /// (MIUI grants its system browser READ_PHONE_STATE); null for none.
    /// </summary>
    [JsonPropertyName("imeiSha256To"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public string? ImeiSha256To { get; init; }

    /// <summary>The Sensors SDK encrypts every upload (<c>gzip=9</c>): compressed, then AES; opaque to any proxy.</summary>
    [JsonPropertyName("encryptedUploads"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool EncryptsUploads { get; init; }

    // A record compares a dictionary by reference; traits read back from an APK must equal the catalog's.
    public bool Equals(BrowserVersionTraits? other) =>
        other is not null && SendsBrowsingInIncognito == other.SendsBrowsingInIncognito && HasEnhancedIncognito == other.HasEnhancedIncognito
        && MenuButtonId == other.MenuButtonId && TrustsUserCertificates == other.TrustsUserCertificates
        && SensorsConfigPath == other.SensorsConfigPath && UploadsNeedRemoteConfig == other.UploadsNeedRemoteConfig && TelemetryOverQuic == other.TelemetryOverQuic && ImeiSha256To == other.ImeiSha256To && EncryptsUploads == other.EncryptsUploads
        && ResourceIds.Count == other.ResourceIds.Count && ResourceIds.All(p => other.ResourceIds.TryGetValue(p.Key, out var v) && v == p.Value);

    public override int GetHashCode() => HashCode.Combine(SendsBrowsingInIncognito, HasEnhancedIncognito, MenuButtonId, TrustsUserCertificates, ResourceIds.Count);

    public static BrowserVersionTraits From(JsonElement? behaviour) =>
        behaviour is { ValueKind: JsonValueKind.Object } json
            ? json.Deserialize<BrowserVersionTraits>() ?? new BrowserVersionTraits()
            : new BrowserVersionTraits();

    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this);
}
