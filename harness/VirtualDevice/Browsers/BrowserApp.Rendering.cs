using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Browsers;

// The screens as uiautomator dumps them (1080 px wide portrait layout; heights follow the phone's screen).
public sealed partial class BrowserApp
{
    private const int TopBarTop = 86;
    private const int TopBarBottom = 206;
    private const int NewsTop = 300;
    private const int NewsPitch = 260;
    private const int RowHeight = 190;

    internal static readonly string[] Headlines =
    [
        "Monsoon arrives early along the coast",
        "Local team wins the championship final",
        "New metro line opens next month",
    ];

    private static int NewsIndexAt(UiBounds bounds) => (bounds.Top - NewsTop) / NewsPitch + 1;

    private List<UiNode> RenderBrowser(int w, int h)
    {
        var t = Text;
        var page = _tab.Current;
        var addressFocused = _editingAddress && FocusedResourceId == Id(_flavor.AddressBarId);
        var addressText = addressFocused
            ? (_addressText.Length > 0 ? _addressText : t.AddressHint)
            : page?.DisplayUrl ?? t.AddressHint;
        var nodes = new List<UiNode>
        {
            // A two-step home screen shows only the hint until it is tapped; the address field exists on pages and while typing.
            _flavor.TwoStepAddressBar && page == null && !addressFocused
                ? new UiNode
                {
                    ClassName = "android.widget.TextView", ResourceId = Id(BrowserFlavor.SearchHintId), Text = t.AddressHint,
                    Clickable = true, Focusable = true, Bounds = new UiBounds(24, TopBarTop, w - 150, TopBarBottom),
                }
                : new UiNode
                {
                    ClassName = "android.widget.EditText", ResourceId = Id(_flavor.AddressBarId), Text = addressText,
                    Clickable = true, Focusable = true, Focused = addressFocused, LongClickable = true,
                    Bounds = new UiBounds(24, TopBarTop, w - 150, TopBarBottom),
                },
        };
        if (_tab.Incognito)
        {
            nodes.Add(new UiNode
            {
                ClassName = "android.widget.ImageView", ResourceId = Id("incognito_indicator"), ContentDescription = t.Incognito,
                Bounds = new UiBounds(w - 140, TopBarTop + 10, w - 40, TopBarBottom - 10),
            });
        }
        if (page == null)
        {
            for (var i = 0; i < Headlines.Length; i++)
            {
                nodes.Add(new UiNode
                {
                    ClassName = "android.widget.TextView", ResourceId = Id("news_item"), Text = Headlines[i], Clickable = true, Focusable = true,
                    Bounds = new UiBounds(24, NewsTop + i * NewsPitch, w - 24, NewsTop + i * NewsPitch + 220),
                });
            }
        }
        else
        {
            nodes.Add(new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("page_title"), Text = page.Title, Bounds = new UiBounds(24, 246, w - 24, 346) });
            nodes.Add(new UiNode { ClassName = "android.webkit.WebView", ContentDescription = page.Title, Focusable = true, Scrollable = true, Bounds = new UiBounds(0, 356, w, h - 180) });
        }
        nodes.Add(new UiNode
        {
            ClassName = "android.widget.ImageButton", ResourceId = Id("tabs_button"), ContentDescription = t.Tabs, Clickable = true, Focusable = true,
            Bounds = new UiBounds(w - 520, h - 160, w - 280, h - 10),
        });
        nodes.Add(new UiNode
        {
            ClassName = "android.widget.ImageButton", ResourceId = Id(_traits.MenuButtonId), ContentDescription = t.Menu, Clickable = true, Focusable = true,
            Bounds = new UiBounds(w - 260, h - 160, w - 20, h - 10),
        });
        if (_menuOpen) nodes.Add(RenderMenu(w, h));
        return nodes;
    }

    private UiNode RenderMenu(int w, int h)
    {
        var t = Text;
        var items = new List<(string Id, string Label)> { ("menu_new_incognito_tab", t.NewIncognitoTab) };
        if (_tab.Incognito) items.Add(("menu_exit_incognito", t.ExitIncognito));
        items.Add(("menu_settings", t.Settings));
        items.Add(("menu_clear_data", t.ClearBrowsingData));
        var top = h - 180 - items.Count * 150;
        return new UiNode
        {
            ClassName = "android.widget.ListView",
            Bounds = new UiBounds(w - 600, top, w - 20, h - 180),
            Children = items.Select((item, i) => new UiNode
            {
                ClassName = "android.widget.TextView", ResourceId = Id(item.Id), Text = item.Label, Clickable = true, Focusable = true,
                Bounds = new UiBounds(w - 600, top + i * 150, w - 20, top + (i + 1) * 150),
            }).ToList(),
        };
    }

    private List<UiNode> RenderTabs(int w, int h)
    {
        var t = Text;
        var nodes = _tabs.Select((tab, i) => new UiNode
        {
            ClassName = "android.widget.TextView", ResourceId = Id("tab_card"),
            Text = (tab.Incognito ? t.Incognito + ": " : "") + (tab.Current?.Title ?? t.NewTab), Selected = ReferenceEquals(tab, _tab),
            Bounds = new UiBounds(24, TopBarTop + i * 200, w - 24, TopBarTop + i * 200 + 180),
        }).Take(8).ToList();
        nodes.Add(new UiNode { ClassName = "android.widget.Button", ResourceId = Id("new_tab"), Text = t.NewTab, Clickable = true, Focusable = true, Bounds = new UiBounds(24, h - 340, w / 2 - 12, h - 190) });
        nodes.Add(new UiNode { ClassName = "android.widget.Button", ResourceId = Id("new_incognito_tab"), Text = t.NewIncognitoTab, Clickable = true, Focusable = true, Bounds = new UiBounds(w / 2 + 12, h - 340, w - 24, h - 190) });
        return nodes;
    }

    private List<UiNode> RenderSettings(int w)
    {
        var t = Text;
        var nodes = new List<UiNode> { new() { ClassName = "android.widget.TextView", ResourceId = Id("settings_title"), Text = t.Settings, Bounds = new UiBounds(24, TopBarTop, w - 24, TopBarBottom) } };
        var y = 246;
        UiBounds NextRow()
        {
            var row = new UiBounds(0, y, w, y + RowHeight);
            y += RowHeight + 10;
            return row;
        }
        nodes.Add(Switch("incognito_mode_switch", t.IncognitoMode, _preferences.IncognitoMode, enabled: true, NextRow()));
        if (_traits.HasEnhancedIncognito)
            nodes.Add(Switch("enhanced_incognito_switch", t.EnhancedIncognitoMode, _preferences.EnhancedIncognito, enabled: _preferences.IncognitoMode, NextRow()));
        var account = NextRow();
        var status = _preferences.Account is { } id ? t.SignedInPrefix + id : t.NotSignedIn;
        nodes.Add(new UiNode
        {
            ClassName = "android.widget.LinearLayout", Bounds = account,
            Children =
            [
                new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("account_row"), Text = t.MiAccount, Clickable = true, Focusable = true, Bounds = account with { Bottom = account.Top + 110 } },
                new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("account_status"), Text = status, Bounds = account with { Top = account.Top + 110, Left = 24 } },
            ],
        });
        nodes.Add(Switch("sync_switch", t.SyncHistory, _preferences.Sync, enabled: _preferences.Account != null, NextRow()));
        var engine = NextRow();
        nodes.Add(new UiNode
        {
            ClassName = "android.widget.LinearLayout", Bounds = engine,
            Children =
            [
                new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("search_engine"), Text = t.SearchEngine, Clickable = true, Focusable = true, Bounds = engine with { Bottom = engine.Top + 110 } },
                new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("search_engine_value"), Text = _preferences.SearchEngine, Bounds = engine with { Top = engine.Top + 110, Left = 24 } },
            ],
        });
        nodes.Add(new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("clear_data"), Text = t.ClearBrowsingData, Clickable = true, Focusable = true, Bounds = NextRow() });
        return nodes;
    }

    private UiNode Switch(string name, string label, bool on, bool enabled, UiBounds bounds) => new()
    {
        ClassName = "android.widget.Switch", ResourceId = Id(name), Text = label, Checkable = true, Checked = on,
        Clickable = enabled, Focusable = true, Enabled = enabled, Bounds = bounds,
    };

    private List<UiNode> RenderSignIn(int w)
    {
        var t = Text;
        var accountFocused = FocusedResourceId == Id("account_id_input");
        var passwordFocused = FocusedResourceId == Id("password_input");
        return
        [
            new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("sign_in_title"), Text = t.MiAccount, Bounds = new UiBounds(24, TopBarTop, w - 24, TopBarBottom) },
            new UiNode
            {
                ClassName = "android.widget.EditText", ResourceId = Id("account_id_input"), Text = _accountInput.Length > 0 ? _accountInput : t.AccountId,
                Clickable = true, Focusable = true, Focused = accountFocused, Bounds = new UiBounds(24, 300, w - 24, 440),
            },
            new UiNode
            {
                ClassName = "android.widget.EditText", ResourceId = Id("password_input"), Text = _passwordInput.Length > 0 ? new string('•', _passwordInput.Length) : t.Password,
                Clickable = true, Focusable = true, Focused = passwordFocused, Password = true, Bounds = new UiBounds(24, 480, w - 24, 620),
            },
            new UiNode { ClassName = "android.widget.Button", ResourceId = Id("sign_in_button"), Text = t.SignIn, Clickable = true, Focusable = true, Bounds = new UiBounds(24, 680, w - 24, 820) },
        ];
    }

    private List<UiNode> RenderAccount(int w)
    {
        var t = Text;
        return
        [
            new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("account_id"), Text = _preferences.Account ?? "", Bounds = new UiBounds(24, 300, w - 24, 440) },
            new UiNode { ClassName = "android.widget.Button", ResourceId = Id("sign_out_button"), Text = t.SignOut, Clickable = true, Focusable = true, Bounds = new UiBounds(24, 480, w - 24, 620) },
        ];
    }

    private UiNode RenderFirstRunDialog(int w, int h)
    {
        var t = Text;
        var top = h / 2 - 400;
        var (messageId, message, leftId, left, rightId, right) = _firstRun switch
        {
            FirstRunDialog.Consent => ("consent_message", t.ConsentMessage, "btn_disagree", t.Disagree, "btn_agree", t.Agree),
            FirstRunDialog.DefaultBrowser => ("default_browser_title", t.DefaultBrowserQuestion, "btn_not_now", t.NotNow, "btn_set_default", t.SetAsDefault),
            _ => ("rating_message", t.RatingQuestion, "btn_later", t.Later, "btn_rate", t.RateNow),
        };
        return new UiNode
        {
            ClassName = "android.widget.FrameLayout", ResourceId = Id("first_run_dialog"), Bounds = new UiBounds(60, top, w - 60, h / 2 + 400),
            Children =
            [
                new UiNode { ClassName = "android.widget.TextView", ResourceId = Id(messageId), Text = message, Bounds = new UiBounds(100, top + 60, w - 100, top + 400) },
                new UiNode { ClassName = "android.widget.Button", ResourceId = Id(leftId), Text = left, Clickable = true, Focusable = true, Bounds = new UiBounds(100, h / 2 + 200, w / 2 - 10, h / 2 + 340) },
                new UiNode { ClassName = "android.widget.Button", ResourceId = Id(rightId), Text = right, Clickable = true, Focusable = true, Bounds = new UiBounds(w / 2 + 10, h / 2 + 200, w - 100, h / 2 + 340) },
            ],
        };
    }

    private UiNode RenderClearDialog(int w, int h)
    {
        var t = Text;
        var top = h / 2 - 300;
        return new UiNode
        {
            ClassName = "android.widget.FrameLayout", ResourceId = "android:id/content", Bounds = new UiBounds(90, top, w - 90, h / 2 + 300),
            Children =
            [
                new UiNode { ClassName = "android.widget.TextView", ResourceId = "android:id/message", Text = t.ClearDataMessage, Bounds = new UiBounds(130, top + 60, w - 130, top + 300) },
                new UiNode { ClassName = "android.widget.Button", ResourceId = "android:id/button2", Text = t.Cancel, Clickable = true, Focusable = true, Bounds = new UiBounds(130, h / 2 + 120, w / 2 - 10, h / 2 + 260) },
                new UiNode { ClassName = "android.widget.Button", ResourceId = "android:id/button1", Text = t.Clear, Clickable = true, Focusable = true, Bounds = new UiBounds(w / 2 + 10, h / 2 + 120, w - 130, h / 2 + 260) },
            ],
        };
    }
}
