namespace Harness.Browsers;

/// <summary>The actions a browser profile can define as UI recipes. YAML spells them kebab-case (see <see cref="BrowserActionNames"/>).</summary>
public enum BrowserAction
{
    OpenUrl,
    Search,
    NewIncognitoTab,
    IncognitoOn,
    IncognitoOff,
    ConfirmIncognitoState,
    EnhancedIncognitoOn,
    EnhancedIncognitoOff,
    SignIn,
    SignOut,
    SignInState,
    SyncOn,
    SyncOff,
    ClearBrowsingData,
    OpenNewsItem,
    GoHome,
    Back,
}
