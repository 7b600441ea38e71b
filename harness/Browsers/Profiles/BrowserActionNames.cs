using System.Collections.Frozen;

namespace Harness.Browsers;

/// <summary>The YAML names of <see cref="BrowserAction"/>; one table so the loader, errors and reports agree.</summary>
public static class BrowserActionNames
{
    private static readonly IReadOnlyDictionary<BrowserAction, string> NamesByAction = new Dictionary<BrowserAction, string>
    {
        [BrowserAction.OpenUrl] = "open-url",
        [BrowserAction.Search] = "search",
        [BrowserAction.NewIncognitoTab] = "new-incognito-tab",
        [BrowserAction.IncognitoOn] = "incognito-on",
        [BrowserAction.IncognitoOff] = "incognito-off",
        [BrowserAction.ConfirmIncognitoState] = "confirm-incognito-state",
        [BrowserAction.EnhancedIncognitoOn] = "enhanced-incognito-on",
        [BrowserAction.EnhancedIncognitoOff] = "enhanced-incognito-off",
        [BrowserAction.SignIn] = "sign-in",
        [BrowserAction.SignOut] = "sign-out",
        [BrowserAction.SignInState] = "sign-in-state",
        [BrowserAction.SyncOn] = "sync-on",
        [BrowserAction.SyncOff] = "sync-off",
        [BrowserAction.ClearBrowsingData] = "clear-browsing-data",
        [BrowserAction.OpenNewsItem] = "open-news-item",
        [BrowserAction.GoHome] = "go-home",
        [BrowserAction.Back] = "back",
    }.ToFrozenDictionary();

    private static readonly IReadOnlyDictionary<string, BrowserAction> ActionsByName =
        NamesByAction.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All { get; } = NamesByAction.OrderBy(p => p.Key).Select(p => p.Value).ToArray();

    public static string ToName(this BrowserAction action) => NamesByAction[action];

    public static bool TryParse(string name, out BrowserAction action) => ActionsByName.TryGetValue(name, out action);
}
