using System.Text.Json.Serialization;

namespace Harness.VirtualDevice.Browsers;

/// <summary>Settings the app keeps in its data (shared_prefs on a real phone): they survive relaunch, not pm clear.</summary>
public sealed record BrowserPreferences
{
    [JsonPropertyName("incognitoMode")] public bool IncognitoMode { get; init; }
    [JsonPropertyName("enhancedIncognito")] public bool EnhancedIncognito { get; init; }
    [JsonPropertyName("account")] public string? Account { get; init; }
    [JsonPropertyName("sync")] public bool Sync { get; init; }
    [JsonPropertyName("searchEngine")] public string SearchEngine { get; init; } = "Google";
}
