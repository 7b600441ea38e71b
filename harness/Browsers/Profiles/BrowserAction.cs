namespace Harness.Browsers;

/// <summary>
/// The actions a profile can define as UI recipes. YAML spells them kebab-case (see <see cref="BrowserActionNames"/>);
/// which ones a profile may use depends on its <see cref="ProfileKind"/>.
/// </summary>
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

    // System-app actions (Settings): the proxy CA in the user store of an unrooted phone.
    InstallUserCa,
    UserCaState,
    RemoveUserCa,
}
