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
        [BrowserAction.InstallUserCa] = "install-user-ca",
        [BrowserAction.UserCaState] = "user-ca-state",
        [BrowserAction.RemoveUserCa] = "remove-user-ca",
    }.ToFrozenDictionary();

    private static readonly IReadOnlyDictionary<string, BrowserAction> ActionsByName =
        NamesByAction.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    // Navigation (go-home, back) makes sense in any app; the rest belongs to one kind of profile.
    private static readonly FrozenSet<BrowserAction> SystemAppActions =
        new[] { BrowserAction.InstallUserCa, BrowserAction.UserCaState, BrowserAction.RemoveUserCa, BrowserAction.GoHome, BrowserAction.Back }.ToFrozenSet();

    private static readonly FrozenSet<BrowserAction> BrowserActions =
        NamesByAction.Keys.Where(a => a is not (BrowserAction.InstallUserCa or BrowserAction.UserCaState or BrowserAction.RemoveUserCa)).ToFrozenSet();

    /// <summary>The names a browser profile may use (kept for callers that predate profile kinds).</summary>
    public static IReadOnlyCollection<string> All { get; } = For(ProfileKind.Browser);

    /// <summary>The action names a profile of <paramref name="kind"/> may define, in enum order.</summary>
    public static IReadOnlyCollection<string> For(ProfileKind kind) =>
        NamesByAction.Where(p => IsAllowed(kind, p.Key)).OrderBy(p => p.Key).Select(p => p.Value).ToArray();

    public static bool IsAllowed(ProfileKind kind, BrowserAction action) =>
        kind == ProfileKind.SystemApp ? SystemAppActions.Contains(action) : BrowserActions.Contains(action);

    public static string ToName(this BrowserAction action) => NamesByAction[action];

    public static bool TryParse(string name, out BrowserAction action) => ActionsByName.TryGetValue(name, out action);

    /// <summary>The YAML spelling of a kind: browser, system-app.</summary>
    public static string ToName(this ProfileKind kind) => kind == ProfileKind.SystemApp ? "system-app" : "browser";
}
