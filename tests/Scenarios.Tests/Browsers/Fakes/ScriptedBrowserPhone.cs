using System.Xml.Linq;
using Harness.Adb;
using Harness.Adb.Ui;
using Harness.Browsers;

namespace Harness.Scenarios.Tests.Browsers.Fakes;

/// <summary>
/// A phone with Mint Browser for driver tests: serves the recorded dumps (Dumps/mint-*.{en,es}.xml), patched with
/// the app's state (switches, account, current URL), and reacts to taps by hit-testing the dump it last served, as
/// the real input system would. Faults: taps that do not take, pages that never load, switches that never flip,
/// dumps that fail ("could not get idle state").
/// </summary>
internal sealed class ScriptedBrowserPhone : IDeviceUi
{
    public const string MintPackage = "com.mi.globalbrowser.mini";
    private const string RecordedPackage = MintPackage;
    public static readonly byte[] ScreenshotBytes = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    private readonly Dictionary<string, string> _fixtures = new();
    private readonly Stack<BrowserScreen> _back = new();
    private readonly Dictionary<string, string> _typed = new();

    public ScriptedBrowserPhone(string language = "en", string versionName = "3.4.3", string? locale = null, FakeBrowserModel? model = null)
    {
        Model = model ?? FakeBrowserModel.Mint;
        Language = language;
        VersionName = versionName;
        Locale = locale ?? (language == "es" ? "es-ES" : "en-US");
    }

    public FakeBrowserModel Model { get; }
    public string Package => Model.Package;
    public string LauncherComponent => Model.LauncherComponent;
    public string Language { get; }
    public string? VersionName { get; set; }
    public string Locale { get; set; }
    public BrowserScreen Screen { get; private set; } = BrowserScreen.Launcher;
    public bool Incognito { get; private set; }
    public bool Enhanced { get; private set; }
    public string? SignedInAccount { get; private set; }
    public bool Sync { get; private set; }
    public string? CurrentUrl { get; private set; }
    public string? Focused { get; private set; }
    public int HistoryClears { get; private set; }

    public int TapsToSwallow { get; set; }
    public int DumpsToFail { get; set; }
    public bool PagesNeverLoad { get; set; }
    public HashSet<string> StuckSwitches { get; } = new();

    /// <summary>Ids whose next tap is lost (the first tap on each does not take).</summary>
    public HashSet<string> SwallowOnce { get; } = new();

    public List<string> TappedIds { get; } = new();
    public List<string> SwallowedTaps { get; } = new();
    public List<string> Keys { get; } = new();
    public List<string> Texts { get; } = new();
    public List<string> StartedComponents { get; } = new();
    public int Resolves { get; private set; }
    public int Dumps { get; private set; }
    public int Screenshots { get; private set; }

    private bool Later => Model.HasBottomMenu(VersionName ?? "0");
    private bool HasEnhanced => Model.HasEnhanced(VersionName ?? "0");

    public Task<UiHierarchy> DumpAsync(CancellationToken cancellationToken)
    {
        Dumps++;
        if (DumpsToFail > 0)
        {
            DumpsToFail--;
            throw new AdbProtocolException("no uiautomator hierarchy in the output: \"ERROR: could not get idle state.\"");
        }
        return Task.FromResult(UiHierarchy.Parse(Render()));
    }

    public Task TapAsync(int x, int y, CancellationToken cancellationToken)
    {
        var hit = UiHierarchy.Parse(Render()).AllElements
            .Where(e => e.Clickable && e.Bounds is { } b && x >= b.Left && x < b.Right && y >= b.Top && y < b.Bottom)
            .LastOrDefault();
        var id = hit is null ? "" : hit.ResourceId.Contains(":id/", StringComparison.Ordinal) ? hit.ResourceId[(hit.ResourceId.IndexOf(":id/", StringComparison.Ordinal) + 4)..] : hit.ResourceId;
        if (TapsToSwallow > 0 || SwallowOnce.Remove(id))
        {
            if (TapsToSwallow > 0) TapsToSwallow--;
            SwallowedTaps.Add(id);
            return Task.CompletedTask;
        }
        TappedIds.Add(id);
        if (hit is not null && hit.Enabled) OnTap(id == Model.AddressBarId ? "url_bar" : id, hit);
        return Task.CompletedTask;
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken)
    {
        Texts.Add(text);
        if (Focused is not null) _typed[Focused] = (_typed.GetValueOrDefault(Focused) ?? "") + text;
        return Task.CompletedTask;
    }

    public Task KeyEventAsync(string keyCode, CancellationToken cancellationToken)
    {
        Keys.Add(keyCode);
        if (keyCode == "KEYCODE_ENTER" && Focused == "url_bar")
        {
            var typed = _typed.GetValueOrDefault("url_bar") ?? "";
            Focused = null;
            if (PagesNeverLoad) return Task.CompletedTask;
            var isUrl = Uri.TryCreate(typed, UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal);
            Open(isUrl ? typed : "https://www.google.com/search?q=" + Uri.EscapeDataString(typed), isUrl ? "Canary page" : typed + " - Google Search");
        }
        else if (keyCode == "KEYCODE_BACK")
        {
            if (Focused is not null && Screen is BrowserScreen.Home or BrowserScreen.Page) Focused = null;
            else if (Screen != BrowserScreen.Launcher) Screen = _back.Count > 0 ? _back.Pop() : BrowserScreen.Launcher;
        }
        return Task.CompletedTask;
    }

    public Task<byte[]> ScreenshotPngAsync(CancellationToken cancellationToken)
    {
        Screenshots++;
        return Task.FromResult(ScreenshotBytes);
    }

    public Task StartActionAsync(string action, string package, CancellationToken cancellationToken)
    {
        StartedComponents.Add($"{action} -p {package}");
        return Task.CompletedTask;
    }

    public Task StartActivityAsync(string component, CancellationToken cancellationToken)
    {
        StartedComponents.Add(component);
        if (VersionName is not null && component == LauncherComponent)
        {
            _back.Clear();
            Screen = CurrentUrl is null ? BrowserScreen.Home : BrowserScreen.Page;
        }
        return Task.CompletedTask;
    }

    public Task ForceStopAsync(string package, CancellationToken cancellationToken)
    {
        if (package == Package) { _back.Clear(); Screen = BrowserScreen.Launcher; CurrentUrl = null; Focused = null; }
        return Task.CompletedTask;
    }

    public Task<string?> GetPackageVersionNameAsync(string package, CancellationToken cancellationToken) =>
        Task.FromResult(package == Package ? VersionName : null);

    public Task<string?> ResolveLauncherActivityAsync(string package, CancellationToken cancellationToken)
    {
        Resolves++;
        // What the parser sees on a phone: a priority line, then the component.
        var output = package == Package && VersionName is not null
            ? $"priority=0 preferredOrder=0 match=0x108000 specificIndex=-1 isDefault=true\n{LauncherComponent}\n"
            : "No activity found\n";
        return Task.FromResult(LauncherActivityParser.Parse(output));
    }

    public Task<string?> GetPropertyAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(name == "persist.sys.locale" ? Locale : "");

    private void Go(BrowserScreen next)
    {
        _back.Push(Screen);
        Screen = next;
        Focused = null;
    }

    private void CloseMenuAndGo(BrowserScreen next)
    {
        Screen = _back.Pop();
        Go(next);
    }

    private void Open(string url, string title)
    {
        if (Screen != BrowserScreen.Page) _back.Push(Screen);
        Screen = BrowserScreen.Page;
        CurrentUrl = url;
        _title = title;
    }

    private string _title = "";

    private void OnTap(string id, UiElement element)
    {
        switch (Screen, id)
        {
            case (BrowserScreen.Home or BrowserScreen.Page, "url_bar"):
                Focused = "url_bar";
                _typed["url_bar"] = "";
                break;
            case (BrowserScreen.Home or BrowserScreen.Page, "menu_button" or "bottom_menu"): Go(BrowserScreen.Menu); break;
            case (BrowserScreen.Home or BrowserScreen.Page, "tabs_button"): Go(BrowserScreen.Tabs); break;
            case (BrowserScreen.Home, "news_item"): Open("https://" + (Package == "com.android.browser" ? "news.browser.miui.com" : "news.browser.intl.miui.com") + "/article/1", element.Text); break;
            case (BrowserScreen.Menu, "menu_new_incognito_tab"): Screen = _back.Pop(); Incognito = true; Screen = BrowserScreen.Home; CurrentUrl = null; break;
            case (BrowserScreen.Menu, "menu_exit_incognito"): Screen = _back.Pop(); Incognito = false; break;
            case (BrowserScreen.Menu, "menu_settings"): CloseMenuAndGo(BrowserScreen.Settings); break;
            case (BrowserScreen.Menu, "menu_clear_data"): CloseMenuAndGo(BrowserScreen.Dialog); break;
            case (BrowserScreen.Settings, "incognito_mode_switch") when !StuckSwitches.Contains(id):
                Incognito = !Incognito;
                if (!Incognito) Enhanced = false;
                break;
            case (BrowserScreen.Settings, "enhanced_incognito_switch") when !StuckSwitches.Contains(id): Enhanced = !Enhanced; break;
            case (BrowserScreen.Settings, "sync_switch") when !StuckSwitches.Contains(id): Sync = !Sync; break;
            case (BrowserScreen.Settings, "account_row"): Go(SignedInAccount is null ? BrowserScreen.SignIn : BrowserScreen.Account); break;
            case (BrowserScreen.Settings, "clear_data"): Go(BrowserScreen.Dialog); break;
            case (BrowserScreen.SignIn, "account_id_input" or "password_input"):
                Focused = id;
                _typed[id] = "";
                break;
            case (BrowserScreen.SignIn, "sign_in_button"):
                if ((_typed.GetValueOrDefault("account_id_input") ?? "").Length > 0 && (_typed.GetValueOrDefault("password_input") ?? "").Length > 0)
                {
                    SignedInAccount = _typed["account_id_input"];
                    Screen = _back.Pop();
                }
                break;
            case (BrowserScreen.Account, "sign_out_button"): SignedInAccount = null; Sync = false; Screen = _back.Pop(); break;
            case (BrowserScreen.Dialog, "button1"): HistoryClears++; Screen = _back.Pop(); break;
            case (BrowserScreen.Dialog, "button2"): Screen = _back.Pop(); break;
            case (BrowserScreen.Tabs, "new_tab"): Incognito = false; Screen = _back.Pop(); break;
            case (BrowserScreen.Tabs, "new_incognito_tab"): Incognito = true; Screen = _back.Pop(); break;
        }
    }

    private string Fixture(string name)
    {
        if (!_fixtures.TryGetValue(name, out var xml))
            _fixtures[name] = xml = File.ReadAllText(Path.Combine(RepositoryPaths.Dumps, name));
        return xml;
    }

    private string Render()
    {
        var name = Screen == BrowserScreen.Launcher ? "launcher.xml" : $"mint-{Screen.ToString().ToLowerInvariant()}.{Language}.xml";
        var document = XDocument.Parse(Fixture(name).Replace(RecordedPackage, Package, StringComparison.Ordinal));
        var nodes = document.Descendants("node").ToList();
        XElement? Node(string id) => nodes.FirstOrDefault(n => ((string?)n.Attribute("resource-id") ?? "").EndsWith(":id/" + id, StringComparison.Ordinal));
        void Set(string id, string attribute, string value) { if (Node(id) is { } n) n.SetAttributeValue(attribute, value); }
        static string Bool(bool value) => value ? "true" : "false";

        if (Later) Set("menu_button", "resource-id", $"{Package}:id/bottom_menu");
        if (!Incognito) Node("incognito_indicator")?.Remove();
        if (!Incognito) Node("menu_exit_incognito")?.Remove();
        if (Screen is BrowserScreen.Home or BrowserScreen.Page)
        {
            Set("url_bar", "focused", Bool(Focused == "url_bar"));
            if (Focused == "url_bar") Set("url_bar", "text", _typed.GetValueOrDefault("url_bar") ?? "");
            else if (Screen == BrowserScreen.Page) Set("url_bar", "text", CurrentUrl ?? "");
            Set("page_title", "text", _title);
        }
        if (Screen == BrowserScreen.Settings)
        {
            Set("incognito_mode_switch", "checked", Bool(Incognito));
            if (!HasEnhanced) Node("enhanced_incognito_switch")?.Remove();
            Set("enhanced_incognito_switch", "enabled", Bool(Incognito));
            Set("enhanced_incognito_switch", "checked", Bool(Enhanced));
            Set("sync_switch", "enabled", Bool(SignedInAccount is not null));
            Set("sync_switch", "checked", Bool(Sync));
            if (SignedInAccount is not null)
                Set("account_status", "text", (Language == "es" ? "Sesión iniciada: " : "Signed in: ") + SignedInAccount);
        }
        if (Screen == BrowserScreen.SignIn)
            foreach (var input in new[] { "account_id_input", "password_input" })
            {
                Set(input, "focused", Bool(Focused == input));
                if (_typed.TryGetValue(input, out var typed)) Set(input, "text", input == "password_input" ? new string('•', typed.Length) : typed);
            }
        if (Model.AddressBarId != "url_bar") Set("url_bar", "resource-id", $"{Package}:id/{Model.AddressBarId}");
        return "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>" + document.Root!.ToString(SaveOptions.DisableFormatting);
    }
}
