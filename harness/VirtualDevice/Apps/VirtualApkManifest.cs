using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.VirtualDevice.Apps;

/// <summary>The `virtual-app.json` entry of a virtual APK. Behaviour is free-form JSON that the app kind interprets.</summary>
public sealed record VirtualApkManifest(
    [property: JsonPropertyName("package")] string Package,
    [property: JsonPropertyName("versionName")] string VersionName,
    [property: JsonPropertyName("versionCode")] long VersionCode,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("behaviour")] JsonElement? Behaviour = null,
    [property: JsonPropertyName("minSdk")] int MinSdk = 21,
    [property: JsonPropertyName("targetSdk")] int TargetSdk = 30);
