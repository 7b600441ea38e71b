using System.Text.Json;
using System.Text.RegularExpressions;
using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Browsers;

/// <summary>
/// Mint Browser, Mi Browser (Pro) and the MIUI China browser as one app whose flavor and installed version decide
/// ids, hosts and telemetry. Screens follow the UI contract (shared/ui-contract); traffic goes through the phone's
/// network stack, telemetry through <see cref="BrowserTelemetry"/>.
/// </summary>
public sealed partial class BrowserApp : VirtualApp
{
    private const string PreferencesFile = "browser_prefs.json";
    private const string ActionWebSearch = "android.intent.action.WEB_SEARCH";
    private static readonly string[] SearchEngines = ["Google", "DuckDuckGo", "Bing", "Baidu"];

    private readonly object _state = new();
    private readonly BrowserFlavor _flavor;
    private readonly BrowserVersionTraits _traits;
    private readonly List<BrowserScreen> _screens = [BrowserScreen.Browser];
    private readonly List<BrowserTab> _tabs = [];
    private readonly List<string> _visited = [];
    private BrowserTab _tab = new(false);
    private BrowserPreferences _preferences = new();
    private BrowserTelemetry? _telemetry;
    private bool _menuOpen;
    private bool _clearDialogOpen;
    // First launch with empty data (a fresh install or after `pm clear`): the consent dialog, then the default-browser prompt.
    private FirstRunDialog _firstRun;
    private bool _editingAddress;
    private string _addressText = "";
    private string _accountInput = "";
    private string _passwordInput = "";

    public BrowserApp(VirtualAppContext context, BrowserFlavor flavor) : base(context)
    {
        _flavor = flavor;
        _traits = BrowserVersionTraits.From(context.Behaviour);
    }

    public override string CurrentActivity => _flavor.LauncherActivity;

    private BrowserStrings Text => BrowserStrings.For(Context.Language);
    /// <summary>The view's id on this build (a build may rename ids, see <see cref="BrowserVersionTraits.ResourceIds"/>).</summary>
    private string Id(string name) => $"{PackageName}:id/{_traits.ResourceName(name)}";
    private string UserAgent => _flavor.UserAgent(Context.Android.Profile.Release, Context.Android.Profile.Model, VersionName);
    private BrowserScreen Screen => _screens[^1];

    /// <summary>Browsing events are withheld only by fixed versions, in incognito, with Enhanced Incognito off (docs/architecture.md, "What is known about the browsers").</summary>
    /// <summary>What the SDK's auto-tracking names a screen view by: the activity, as Android knows it.</summary>
    private string ScreenViewName => _flavor.Package + "/" + _flavor.LauncherActivity;

    private bool BrowsingTelemetryAllowed => _traits.SendsBrowsingInIncognito || !(_tab.Incognito && !_preferences.EnhancedIncognito);

    public override async Task OnLaunchAsync(AppIntent intent, CancellationToken ct)
    {
        if (_telemetry == null)
        {
            if (Context.ReadDataText(PreferencesFile) == null) lock (_state) _firstRun = FirstRunDialog.Consent;
            else if (Context.Android.Faults.RatingPrompt) lock (_state) _firstRun = FirstRunDialog.Rating;
            _preferences = LoadPreferences();
            lock (_state)
            {
                _tab = new BrowserTab(_preferences.IncognitoMode);
                _tabs.Add(_tab);
            }
            _telemetry = new BrowserTelemetry(Context, _flavor, _traits, _preferences.Account);
            _telemetry.Start();
            Context.Log('I', "BrowserActivity", $"{_flavor.Package} {VersionName} started");
        }
        if (intent.Action == ActionWebSearch && intent.Extras?.GetValueOrDefault("query") is { Length: > 0 } query)
        {
            lock (_state)
            {
                _screens.RemoveRange(1, _screens.Count - 1);
                _menuOpen = false;
                _clearDialogOpen = false;
            }
            await SearchAsync(query, ct).ConfigureAwait(false);
        }
        else if (intent.Action == AppIntent.ActionView && intent.Data is { Length: > 0 } url && IsWebUrl(url))
        {
            lock (_state)
            {
                _screens.RemoveRange(1, _screens.Count - 1);
                _menuOpen = false;
                _clearDialogOpen = false;
            }
            await OpenUrlAsync(url, url, ct).ConfigureAwait(false);
        }
    }

    public override async Task OnStopAsync(CancellationToken ct)
    {
        var telemetry = _telemetry;
        _telemetry = null;
        if (telemetry != null) await telemetry.DisposeAsync().ConfigureAwait(false);
    }

    public override UiNode RenderUi()
    {
        lock (_state)
        {
            var w = Context.ScreenWidth;
            var h = Context.ScreenHeight;
            List<UiNode> children = Screen switch
            {
                BrowserScreen.Tabs => RenderTabs(w, h),
                BrowserScreen.Settings => RenderSettings(w),
                BrowserScreen.SignIn => RenderSignIn(w),
                BrowserScreen.Account => RenderAccount(w),
                _ => RenderBrowser(w, h),
            };
            if (_clearDialogOpen) children.Add(RenderClearDialog(w, h));
            if (_firstRun != FirstRunDialog.None) children.Add(RenderFirstRunDialog(w, h));
            return new UiNode { ClassName = "android.widget.FrameLayout", Bounds = new UiBounds(0, 0, w, h), Children = children };
        }
    }

    public override async Task OnTapAsync(int x, int y, CancellationToken ct)
    {
        var root = RenderUi();
        var overlay = root.Children.Count > 0 ? root.Children[^1] : null;
        // A popup menu is dismissed by a touch outside it; a dialog is modal.
        if (_menuOpen && overlay != null && !overlay.Bounds.Contains(x, y))
        {
            lock (_state) _menuOpen = false;
            return;
        }
        if ((_clearDialogOpen || _firstRun != FirstRunDialog.None) && overlay != null && !overlay.Bounds.Contains(x, y)) return;
        var previousFocus = FocusedResourceId;
        await base.OnTapAsync(x, y, ct).ConfigureAwait(false);
        if (FocusedResourceId != previousFocus && previousFocus == Id(_flavor.AddressBarId)) _editingAddress = false;
    }

    protected override async Task OnClickAsync(UiNode node, CancellationToken ct)
    {
        var id = node.ResourceId;
        var name = id.StartsWith(PackageName + ":id/", StringComparison.Ordinal) ? _traits.CanonicalName(id[(PackageName.Length + 4)..]) : id;
        if (name == _traits.MenuButtonId) name = "menu";
        switch (name)
        {
            case BrowserFlavor.SearchHintId when _flavor.TwoStepAddressBar:
                // The home screen's hint opens the address field, focused and empty.
                lock (_state)
                {
                    _editingAddress = true;
                    _addressText = "";
                    FocusedResourceId = Id(_flavor.AddressBarId);
                }
                break;
            case var bar when bar == _flavor.AddressBarId:
                // Chromium selects the whole URL on focus: what is typed next replaces it.
                lock (_state)
                {
                    _editingAddress = true;
                    _addressText = "";
                }
                break;
            case "menu":
                lock (_state) _menuOpen = !_menuOpen;
                break;
            case "btn_agree" when _firstRun == FirstRunDialog.Consent:
                SavePreferences(_preferences);
                lock (_state) _firstRun = FirstRunDialog.DefaultBrowser;
                break;
            case "btn_not_now" or "btn_set_default" when _firstRun == FirstRunDialog.DefaultBrowser:
                // A rating prompt (when the phone shows one) follows the first-run dialogs.
                lock (_state) _firstRun = Context.Android.Faults.RatingPrompt ? FirstRunDialog.Rating : FirstRunDialog.None;
                break;
            case "btn_later" or "btn_rate" when _firstRun == FirstRunDialog.Rating:
                lock (_state) _firstRun = FirstRunDialog.None;
                break;
            case "tabs_button":
                Navigate(BrowserScreen.Tabs);
                break;
            case "news_item":
                await OpenNewsItemAsync(node, ct).ConfigureAwait(false);
                break;
            case "menu_new_incognito_tab" or "new_incognito_tab":
                OpenTab(incognito: true);
                break;
            case "new_tab":
                OpenTab(incognito: _preferences.IncognitoMode);
                break;
            case "menu_exit_incognito":
                SavePreferences(_preferences with { IncognitoMode = false });
                OpenTab(incognito: false);
                break;
            case "menu_settings":
                lock (_state) _menuOpen = false;
                Navigate(BrowserScreen.Settings);
                break;
            case "menu_clear_data" or "clear_data":
                lock (_state)
                {
                    _menuOpen = false;
                    _clearDialogOpen = true;
                }
                break;
            case "android:id/button1":
                ClearBrowsingData();
                break;
            case "android:id/button2":
                lock (_state) _clearDialogOpen = false;
                break;
            case "incognito_mode_switch":
                var on = !_preferences.IncognitoMode;
                SavePreferences(_preferences with { IncognitoMode = on });
                // The switch governs the tab in front too: turning it on is the same as opening an incognito tab.
                lock (_state) _tab.Incognito = on;
                break;
            case "enhanced_incognito_switch" when _traits.HasEnhancedIncognito && _preferences.IncognitoMode:
                SavePreferences(_preferences with { EnhancedIncognito = !_preferences.EnhancedIncognito });
                break;
            case "account_row":
                Navigate(_preferences.Account == null ? BrowserScreen.SignIn : BrowserScreen.Account);
                break;
            case "sign_in_button":
                SignIn();
                break;
            case "sign_out_button":
                SavePreferences(_preferences with { Account = null });
                _telemetry?.SignOut();
                Back();
                break;
            case "sync_switch" when _preferences.Account != null:
                SavePreferences(_preferences with { Sync = !_preferences.Sync });
                break;
            case "search_engine":
                var next = SearchEngines[(Array.IndexOf(SearchEngines, _preferences.SearchEngine) + 1) % SearchEngines.Length];
                SavePreferences(_preferences with { SearchEngine = next });
                break;
        }
    }

    protected override void OnTextEntered(string resourceId, string text)
    {
        if (resourceId == Id(_flavor.AddressBarId) && _editingAddress)
        {
            string typed;
            lock (_state)
            {
                _addressText += text;
                typed = _addressText;
            }
            _telemetry?.RequestSuggestions(SuggestUrl(typed), UserAgent);
        }
        else if (resourceId == Id("account_id_input")) _accountInput += text;
        else if (resourceId == Id("password_input")) _passwordInput += text;
    }

    public override async Task<bool> OnKeyEventAsync(string keyCode, CancellationToken ct)
    {
        switch (keyCode)
        {
            case "KEYCODE_ENTER" or "KEYCODE_NUMPAD_ENTER" when _editingAddress && FocusedResourceId == Id(_flavor.AddressBarId):
                await SubmitAddressAsync(ct).ConfigureAwait(false);
                return true;
            case "KEYCODE_ENTER" when Screen == BrowserScreen.SignIn:
                SignIn();
                return true;
            case "KEYCODE_DEL":
                DeleteLastCharacter();
                return true;
            case "KEYCODE_BACK":
                return Back();
            default:
                return false;
        }
    }

    private bool Back()
    {
        lock (_state)
        {
            if (_firstRun == FirstRunDialog.Consent) return true;
            if (_firstRun is FirstRunDialog.DefaultBrowser or FirstRunDialog.Rating) { _firstRun = FirstRunDialog.None; return true; }
            if (_clearDialogOpen) { _clearDialogOpen = false; return true; }
            if (_menuOpen) { _menuOpen = false; return true; }
            if (_editingAddress)
            {
                _editingAddress = false;
                FocusedResourceId = null;
                return true;
            }
            FocusedResourceId = null;
            if (_screens.Count > 1)
            {
                _screens.RemoveAt(_screens.Count - 1);
                return true;
            }
            if (_tab.History.Count > 0)
            {
                // Back through the tab's pages; past the first one the home page (news feed) shows.
                _tab.History.RemoveAt(_tab.History.Count - 1);
                return true;
            }
            return false;
        }
    }

    private void Navigate(BrowserScreen screen)
    {
        lock (_state)
        {
            _menuOpen = false;
            _editingAddress = false;
            FocusedResourceId = null;
            _screens.Add(screen);
        }
    }

    private void OpenTab(bool incognito)
    {
        if (incognito && !_preferences.IncognitoMode) SavePreferences(_preferences with { IncognitoMode = true });
        lock (_state)
        {
            _menuOpen = false;
            _editingAddress = false;
            FocusedResourceId = null;
            _screens.RemoveRange(1, _screens.Count - 1);
            _tab = new BrowserTab(incognito);
            _tabs.Add(_tab);
        }
    }

    private void DeleteLastCharacter()
    {
        lock (_state)
        {
            if (FocusedResourceId == Id(_flavor.AddressBarId) && _addressText.Length > 0) _addressText = _addressText[..^1];
            else if (FocusedResourceId == Id("account_id_input") && _accountInput.Length > 0) _accountInput = _accountInput[..^1];
            else if (FocusedResourceId == Id("password_input") && _passwordInput.Length > 0) _passwordInput = _passwordInput[..^1];
        }
    }

    private void SignIn()
    {
        if (_accountInput.Length == 0 || _passwordInput.Length == 0) return;
        var account = _accountInput;
        SavePreferences(_preferences with { Account = account });
        _telemetry?.SignIn(account, _passwordInput, UserAgent);
        _accountInput = "";
        _passwordInput = "";
        Back();
    }

    private void ClearBrowsingData()
    {
        // History, cookies and cache go; the analytics uuid lives elsewhere in the app's data and stays (as reported).
        lock (_state)
        {
            _clearDialogOpen = false;
            _visited.Clear();
        }
        Context.Log('I', "BrowserSettings", "cleared browsing data");
    }

    private async Task SubmitAddressAsync(CancellationToken ct)
    {
        string typed;
        lock (_state)
        {
            typed = _addressText.Trim();
            _editingAddress = false;
            FocusedResourceId = null;
        }
        if (typed.Length == 0) return;
        if (IsWebUrl(typed)) await OpenUrlAsync(typed, typed, ct).ConfigureAwait(false);
        else if (typed.Contains('.') && !typed.Contains(' ')) await OpenUrlAsync("https://" + typed, "https://" + typed, ct).ConfigureAwait(false);
        else await SearchAsync(typed, ct).ConfigureAwait(false);
    }

    private async Task SearchAsync(string term, CancellationToken ct)
    {
        var engine = _preferences.SearchEngine;
        if (BrowsingTelemetryAllowed)
        {
            _telemetry?.Track("search", new()
            {
                ["used_searchengine"] = engine.ToLowerInvariant(),
                ["search_position"] = "address_bar",
                ["search_method"] = "input",
                ["search_word"] = term,
            });
        }
        var url = SearchUrl(engine, term);
        // Chromium shows a results page's URL unescaped in the omnibox.
        await OpenUrlAsync(url, Uri.UnescapeDataString(url.Replace('+', ' ')), ct).ConfigureAwait(false);
    }

    private async Task OpenNewsItemAsync(UiNode node, CancellationToken ct)
    {
        var index = NewsIndexAt(node.Bounds);
        var url = $"https://{_flavor.NewsHost}/article/{index}";
        if (BrowsingTelemetryAllowed) _telemetry?.Track("feed_item_click", new() { ["url"] = url, ["title"] = node.Text });
        await OpenUrlAsync(url, url, ct).ConfigureAwait(false);
    }

    private async Task OpenUrlAsync(string url, string displayUrl, CancellationToken ct)
    {
        var telemetry = _telemetry;
        var sendBrowsing = BrowsingTelemetryAllowed;
        // The page transition animates: uiautomator finds no idle state for a while (unless animations are off).
        if (Context.Android.AnimationsOn) Context.Android.Screen.Animate(Context.Android.Faults.AnimatingDumps);
        if (sendBrowsing) telemetry?.Track("page_load_event_start", new() { ["url"] = url });
        var title = telemetry != null ? await telemetry.LoadPageAsync(url, UserAgent, Text.CannotReach, ct).ConfigureAwait(false) : url;
        bool incognito;
        lock (_state)
        {
            _menuOpen = false;
            _editingAddress = false;
            FocusedResourceId = null;
            _tab.History.Add(new BrowserPage(url, title, displayUrl));
            incognito = _tab.Incognito;
            if (!incognito) _visited.Add(url);
        }
        if (sendBrowsing) telemetry?.Track("page_load_event_finish", new() { ["url"] = url });
        // The Sensors SDK's auto-tracking records a screen view on every page, in every build and mode: it names the
        // activity, never the page, and queues a flush like any event. So a build that keeps browsing to itself still
        // uploads after a browsing step, as a real SDK with auto-tracking does, and its case's heartbeat is a flush that
        // could have carried the page (and did not), not a launch flush that happened to come late.
        telemetry?.Track("$AppViewScreen", new() { ["$screen_name"] = ScreenViewName });
        // The vendor's statement: history reaches the sync service only when signed in, sync is on, and not in incognito.
        if (_preferences is { Account: { } account, Sync: true } && !incognito) telemetry?.SyncHistory(account, url, title, UserAgent);
    }

    private BrowserPreferences LoadPreferences()
    {
        var text = Context.ReadDataText(PreferencesFile);
        var fresh = new BrowserPreferences { SearchEngine = DefaultSearchEngine };
        if (text == null) return fresh;
        try { return JsonSerializer.Deserialize<BrowserPreferences>(text) ?? fresh; }
        catch (JsonException) { return fresh; }
    }

    private void SavePreferences(BrowserPreferences preferences)
    {
        _preferences = preferences;
        Context.WriteDataText(PreferencesFile, JsonSerializer.Serialize(preferences));
    }

    private static bool IsWebUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    /// <summary>A China build on a zh-CN phone searches Baidu out of the box; every other build and locale Google.</summary>
    private string DefaultSearchEngine => _flavor.ChinaBuild && Context.Locale.Equals("zh-CN", StringComparison.OrdinalIgnoreCase) ? "Baidu" : "Google";

    private static string SearchUrl(string engine, string term) => engine switch
    {
        "Baidu" => $"https://www.baidu.com/s?wd={Uri.EscapeDataString(term)}",
        "DuckDuckGo" => $"https://duckduckgo.com/?q={Uri.EscapeDataString(term)}",
        "Bing" => $"https://www.bing.com/search?q={Uri.EscapeDataString(term)}",
        _ => $"https://www.google.com/search?q={Uri.EscapeDataString(term)}",
    };

    private string SuggestUrl(string prefix) => _preferences.SearchEngine switch
    {
        "Baidu" => $"https://suggestion.baidu.com/su?wd={Uri.EscapeDataString(prefix)}&action=opensearch",
        "DuckDuckGo" => $"https://duckduckgo.com/ac/?q={Uri.EscapeDataString(prefix)}&type=list",
        "Bing" => $"https://www.bing.com/osjson.aspx?query={Uri.EscapeDataString(prefix)}",
        _ => $"https://www.google.com/complete/search?client=chrome&q={Uri.EscapeDataString(prefix)}",
    };

    [GeneratedRegex("<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    internal static partial Regex TitlePattern();
}
