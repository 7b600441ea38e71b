using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.SystemApps;

// Settings' pages as uiautomator dumps them: a toolbar with the page title and preference rows whose only ids are
// android:id/title and android:id/summary (as androidx preferences have); dialogs are dumped alone (their own window).
public sealed partial class SettingsApp
{
    private const int StatusBarBottom = 66;
    private const int ToolbarBottom = 220;
    private const int RowHeight = 200;

    public override UiNode RenderUi()
    {
        var w = Context.ScreenWidth;
        var h = Context.ScreenHeight;
        if (_dialog != SettingsDialog.None) return RenderDialog(w, h);
        var t = Text;
        var (title, content) = Page switch
        {
            SettingsScreen.Main => (t.Settings, Rows(w, ("row:network", t.NetworkInternet, null), ("row:security", t.Security, null))),
            SettingsScreen.Security => (t.Security, Rows(w, ("row:screen-lock", t.ScreenLock, null), ("row:encryption", t.EncryptionCredentials, null))),
            SettingsScreen.EncryptionCredentials => (t.EncryptionCredentials, Rows(w,
                ("row:encrypt", t.EncryptPhone, t.Encrypted),
                ("row:trusted-credentials", t.TrustedCredentials, t.TrustedCredentialsSummary),
                ("row:user-credentials", t.UserCredentials, null),
                ("row:install-certificate", t.InstallCertificate, t.InstallCertificateSummary),
                ("row:clear-credentials", t.ClearCredentials, null))),
            SettingsScreen.InstallCertificate => (t.InstallCertificate, Rows(w,
                ("row:ca-certificate", t.CaCertificate, null), ("row:user-certificate", t.VpnUserCertificate, null), ("row:wifi-certificate", t.WifiCertificate, null))),
            SettingsScreen.CaWarning => (t.CaWarningTitle, CaWarning(w, h)),
            _ => (t.TrustedCredentials, TrustedCredentials(w)),
        };
        return new UiNode
        {
            ClassName = "android.widget.FrameLayout",
            Bounds = new UiBounds(0, 0, w, h),
            Children =
            [
                new UiNode
                {
                    ClassName = "android.view.ViewGroup", ResourceId = Id("action_bar"), Bounds = new UiBounds(0, StatusBarBottom, w, ToolbarBottom),
                    Children =
                    [
                        new UiNode
                        {
                            ClassName = "android.widget.ImageButton", ContentDescription = t.NavigateUp, Clickable = true, Focusable = true, Key = "up",
                            Bounds = new UiBounds(0, StatusBarBottom, 154, ToolbarBottom),
                        },
                        new UiNode { ClassName = "android.widget.TextView", Text = title, Bounds = new UiBounds(190, StatusBarBottom + 40, w - 40, ToolbarBottom - 40) },
                    ],
                },
                new UiNode
                {
                    ClassName = Page == SettingsScreen.CaWarning ? "android.widget.LinearLayout" : "androidx.recyclerview.widget.RecyclerView",
                    ResourceId = Page == SettingsScreen.CaWarning ? "" : Id("recycler_view"),
                    Scrollable = Page != SettingsScreen.CaWarning,
                    Bounds = new UiBounds(0, ToolbarBottom, w, h),
                    Children = content,
                },
            ],
        };
    }

    private static List<UiNode> Rows(int w, params (string Key, string Title, string? Summary)[] rows)
    {
        var nodes = new List<UiNode>();
        for (var i = 0; i < rows.Length; i++)
        {
            var top = ToolbarBottom + i * RowHeight;
            var (key, title, summary) = rows[i];
            var children = new List<UiNode>
            {
                new() { ClassName = "android.widget.TextView", ResourceId = "android:id/title", Text = title, Bounds = new UiBounds(64, top + 40, w - 64, top + (summary is null ? 160 : 110)) },
            };
            if (summary is not null)
                children.Add(new UiNode { ClassName = "android.widget.TextView", ResourceId = "android:id/summary", Text = summary, Bounds = new UiBounds(64, top + 110, w - 64, top + 170) });
            nodes.Add(new UiNode
            {
                ClassName = "android.widget.LinearLayout", Clickable = true, Focusable = true, Key = key,
                Bounds = new UiBounds(0, top, w, top + RowHeight), Children = children,
            });
        }
        return nodes;
    }

    private List<UiNode> CaWarning(int w, int h)
    {
        var t = Text;
        return
        [
            new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("warning_text"), Text = t.CaWarningBody, Bounds = new UiBounds(64, ToolbarBottom + 40, w - 64, ToolbarBottom + 500) },
            new UiNode
            {
                ClassName = "android.widget.Button", ResourceId = Id("dont_install_button"), Text = t.DontInstall, Clickable = true, Focusable = true, Key = "dont-install",
                Bounds = new UiBounds(64, h - 260, w / 2 - 20, h - 120),
            },
            new UiNode
            {
                ClassName = "android.widget.Button", ResourceId = Id("install_button"), Text = t.InstallAnyway, Clickable = true, Focusable = true, Key = "install-anyway",
                Bounds = new UiBounds(w / 2 + 20, h - 260, w - 64, h - 120),
            },
        ];
    }

    private List<UiNode> TrustedCredentials(int w)
    {
        var t = Text;
        var nodes = new List<UiNode>
        {
            new()
            {
                ClassName = "android.widget.TabWidget", ResourceId = "android:id/tabs", Bounds = new UiBounds(0, ToolbarBottom, w, ToolbarBottom + 150),
                Children =
                [
                    new UiNode
                    {
                        ClassName = "android.widget.LinearLayout", Clickable = true, Focusable = true, Selected = !_userTab, Key = "tab:system",
                        Bounds = new UiBounds(0, ToolbarBottom, w / 2, ToolbarBottom + 150),
                        Children = [new UiNode { ClassName = "android.widget.TextView", ResourceId = "android:id/title", Text = t.SystemTab, Bounds = new UiBounds(100, ToolbarBottom + 40, w / 2 - 100, ToolbarBottom + 110) }],
                    },
                    new UiNode
                    {
                        ClassName = "android.widget.LinearLayout", Clickable = true, Focusable = true, Selected = _userTab, Key = "tab:user",
                        Bounds = new UiBounds(w / 2, ToolbarBottom, w, ToolbarBottom + 150),
                        Children = [new UiNode { ClassName = "android.widget.TextView", ResourceId = "android:id/title", Text = t.UserTab, Bounds = new UiBounds(w / 2 + 100, ToolbarBottom + 40, w - 100, ToolbarBottom + 110) }],
                    },
                ],
            },
        };
        var entries = _userTab ? UserCaStore.List(Context.Android) : UserCaStore.ListSystem(Context.Android);
        var items = new List<UiNode>();
        for (var i = 0; i < entries.Count; i++)
        {
            var top = ToolbarBottom + 150 + i * RowHeight;
            var entry = entries[i];
            var children = new List<UiNode>
            {
                new() { ClassName = "android.widget.TextView", ResourceId = Id("trusted_credential_subject_primary"), Text = entry.Primary, Bounds = new UiBounds(64, top + 30, w - 240, top + 100) },
                new() { ClassName = "android.widget.TextView", ResourceId = Id("trusted_credential_subject_secondary"), Text = entry.Secondary, Bounds = new UiBounds(64, top + 100, w - 240, top + 170) },
            };
            // System CAs can be disabled (a switch); user CAs only removed, from their dialog.
            if (!_userTab)
                children.Add(new UiNode
                {
                    ClassName = "android.widget.Switch", ResourceId = Id("trusted_credential_status"), Checkable = true, Checked = true, Clickable = true, Focusable = true,
                    Bounds = new UiBounds(w - 220, top + 50, w - 64, top + 150),
                });
            items.Add(new UiNode
            {
                ClassName = "android.widget.LinearLayout", Clickable = true, Focusable = true, Key = _userTab ? "ca:" + entry.FileName : "system-ca",
                Bounds = new UiBounds(0, top, w, top + RowHeight), Children = children,
            });
        }
        nodes.Add(new UiNode
        {
            ClassName = "android.widget.ListView", ResourceId = Id(_userTab ? "user_content" : "system_content"), Scrollable = items.Count > 0,
            Bounds = new UiBounds(0, ToolbarBottom + 150, w, ToolbarBottom + 150 + Math.Max(1, items.Count) * RowHeight), Children = items,
        });
        return nodes;
    }

    private UiNode RenderDialog(int w, int h)
    {
        var t = Text;
        var top = h / 2 - 420;
        var children = new List<UiNode>();
        string? positive = null, negative = null, positiveKey = null, negativeKey = null;
        switch (_dialog)
        {
            case SettingsDialog.NameCertificate:
                children.Add(new UiNode { ClassName = "android.widget.TextView", ResourceId = "android:id/alertTitle", Text = t.NameCertificateTitle, Bounds = new UiBounds(100, top + 40, w - 100, top + 140) });
                children.Add(new UiNode
                {
                    ClassName = "android.widget.EditText", ResourceId = CredentialNameId, Text = _certificateName,
                    Clickable = true, Focusable = true, Focused = FocusedResourceId == CredentialNameId, Bounds = new UiBounds(100, top + 180, w - 100, top + 300),
                });
                children.Add(new UiNode { ClassName = "android.widget.TextView", Text = $"{t.CredentialUse} {t.VpnAndApps}", Bounds = new UiBounds(100, top + 330, w - 100, top + 420) });
                (positive, positiveKey, negative, negativeKey) = (t.Ok, "name:ok", t.Cancel, "name:cancel");
                break;
            case SettingsDialog.NotACertificate:
                children.Add(new UiNode { ClassName = "android.widget.TextView", ResourceId = "android:id/message", Text = t.NotACertificate, Bounds = new UiBounds(100, top + 60, w - 100, top + 300) });
                (positive, positiveKey) = (t.Ok, "error:ok");
                break;
            case SettingsDialog.CertificateDetails:
                var entry = UserCaStore.List(Context.Android).FirstOrDefault(e => e.FileName == _selectedCertificate);
                children.Add(new UiNode { ClassName = "android.widget.TextView", ResourceId = "android:id/alertTitle", Text = t.CaCertificate, Bounds = new UiBounds(100, top + 40, w - 100, top + 140) });
                children.Add(new UiNode { ClassName = "android.widget.TextView", Text = t.IssuedTo, Bounds = new UiBounds(100, top + 160, w - 100, top + 230) });
                children.Add(new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("to_common"), Text = entry?.Secondary is { Length: > 0 } cn ? cn : entry?.Primary ?? "", Bounds = new UiBounds(100, top + 240, w - 100, top + 310) });
                children.Add(new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("to_org"), Text = entry?.Primary ?? "", Bounds = new UiBounds(100, top + 320, w - 100, top + 390) });
                (positive, positiveKey, negative, negativeKey) = (t.Ok, "details:ok", t.Remove, "details:remove");
                break;
            case SettingsDialog.RemoveConfirm:
                children.Add(new UiNode { ClassName = "android.widget.TextView", ResourceId = "android:id/message", Text = t.RemoveQuestion, Bounds = new UiBounds(100, top + 60, w - 100, top + 300) });
                (positive, positiveKey, negative, negativeKey) = (t.Ok, "remove:ok", t.Cancel, "remove:cancel");
                break;
        }
        if (negative is not null)
            children.Add(new UiNode
            {
                ClassName = "android.widget.Button", ResourceId = "android:id/button2", Text = negative, Clickable = true, Focusable = true, Key = negativeKey,
                Bounds = new UiBounds(w / 2 - 300, top + 680, w / 2 - 20, top + 800),
            });
        if (positive is not null)
            children.Add(new UiNode
            {
                ClassName = "android.widget.Button", ResourceId = "android:id/button1", Text = positive, Clickable = true, Focusable = true, Key = positiveKey,
                Bounds = new UiBounds(w / 2 + 20, top + 680, w - 100, top + 800),
            });
        return new UiNode
        {
            ClassName = "android.widget.FrameLayout",
            Bounds = new UiBounds(60, top, w - 60, top + 840),
            Children = [new UiNode { ClassName = "android.widget.LinearLayout", ResourceId = "android:id/parentPanel", Bounds = new UiBounds(60, top, w - 60, top + 840), Children = children }],
        };
    }
}
