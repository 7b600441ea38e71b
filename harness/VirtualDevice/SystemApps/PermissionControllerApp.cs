using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.SystemApps;

/// <summary>
/// com.android.permissioncontroller's GrantPermissionsActivity: the runtime-permission prompt an app raises over itself
/// (Android 13+ asks for POST_NOTIFICATIONS on an app's first launch). Allow or "Don't allow" finishes it back to the
/// app; BACK counts as "Don't allow". Ids and labels are AOSP's (en, zh).
/// </summary>
public sealed class PermissionControllerApp(VirtualAppContext context) : VirtualApp(context)
{
    public const string PackageId = "com.android.permissioncontroller";
    public const string ActionRequestPermissions = "android.content.pm.action.REQUEST_PERMISSIONS";
    public const string ExtraRequester = "requester";

    public static VirtualAppKind Kind { get; } = new("permissioncontroller", ".permission.ui.GrantPermissionsActivity", c => new PermissionControllerApp(c), [ActionRequestPermissions]);

    private string _requester = "";

    public override string CurrentActivity => ".permission.ui.GrantPermissionsActivity";
    private bool Chinese => Context.Language == "zh";
    private string Id(string name) => $"{PackageName}:id/{name}";

    public override Task OnLaunchAsync(AppIntent intent, CancellationToken ct)
    {
        _requester = intent.Extras?.TryGetValue(ExtraRequester, out var r) == true ? r : "";
        Context.Log('I', "GrantPermissionsActivity", $"request android.permission.POST_NOTIFICATIONS for {_requester}");
        return Task.CompletedTask;
    }

    public override UiNode RenderUi()
    {
        var w = Context.ScreenWidth;
        var h = Context.ScreenHeight;
        return new UiNode
        {
            ClassName = "android.widget.FrameLayout",
            Bounds = new UiBounds(0, 0, w, h),
            Children =
            [
                new UiNode
                {
                    ClassName = "android.widget.LinearLayout", ResourceId = Id("grant_dialog"), Bounds = new UiBounds(60, h / 2 - 400, w - 60, h / 2 + 400),
                    Children =
                    [
                        new UiNode
                        {
                            ClassName = "android.widget.TextView", ResourceId = Id("permission_message"),
                            Text = Chinese ? "要允许“浏览器”向您发送通知吗？" : "Allow Browser to send you notifications?",
                            Bounds = new UiBounds(100, h / 2 - 350, w - 100, h / 2 - 100),
                        },
                        new UiNode
                        {
                            ClassName = "android.widget.Button", ResourceId = Id("permission_allow_button"), Text = Chinese ? "允许" : "Allow",
                            Clickable = true, Focusable = true, Bounds = new UiBounds(100, h / 2 - 50, w - 100, h / 2 + 100),
                        },
                        new UiNode
                        {
                            ClassName = "android.widget.Button", ResourceId = Id("permission_deny_button"), Text = Chinese ? "不允许" : "Don’t allow",
                            Clickable = true, Focusable = true, Bounds = new UiBounds(100, h / 2 + 150, w - 100, h / 2 + 300),
                        },
                    ],
                },
            ],
        };
    }

    protected override async Task OnClickAsync(UiNode node, CancellationToken ct)
    {
        var granted = node.ResourceId == Id("permission_allow_button");
        if (!granted && node.ResourceId != Id("permission_deny_button")) return;
        Context.Log('I', "GrantPermissionsActivity", $"{_requester}: POST_NOTIFICATIONS {(granted ? "granted" : "denied")}");
        await Context.FinishAsync(granted ? new ActivityResult(true) : ActivityResult.Canceled, ct).ConfigureAwait(false);
    }

    public override async Task<bool> OnKeyEventAsync(string keyCode, CancellationToken ct)
    {
        if (keyCode != "KEYCODE_BACK") return false;
        await Context.FinishAsync(ActivityResult.Canceled, ct).ConfigureAwait(false);
        return true;
    }
}
