using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.SystemApps;

/// <summary>
/// com.android.documentsui, the system file picker, reduced to what picking a file needs: it opens on Recent (where a
/// file pushed over adb is not indexed, so it shows nothing), its drawer ("Show roots") lists Downloads, and tapping
/// a file there finishes the picker with that file for the app that asked. BACK closes the drawer, then cancels.
/// </summary>
public sealed class DocumentsUiApp(VirtualAppContext context) : VirtualApp(context)
{
    public const string PackageId = "com.android.documentsui";
    public const string ActionOpenDocument = "android.intent.action.OPEN_DOCUMENT";
    public const string ActionGetContent = "android.intent.action.GET_CONTENT";
    /// <summary>The picked file's path in the result's extras (a phone hands back a content URI; the virtual caller reads the path).</summary>
    public const string ExtraPath = "path";
    private const string DownloadDirectory = "/sdcard/Download";
    private const int ToolbarBottom = 220;
    private const int RowHeight = 180;

    public static VirtualAppKind Kind { get; } = new("documentsui", ".files.FilesActivity", c => new DocumentsUiApp(c), [ActionOpenDocument, ActionGetContent]);

    private bool _drawerOpen;
    private bool _inDownloads;

    private DocumentsUiStrings Text => DocumentsUiStrings.For(Context.Language);
    private string Id(string name) => $"{PackageName}:id/{name}";

    public override string CurrentActivity => ".picker.PickActivity";

    public override Task OnLaunchAsync(AppIntent intent, CancellationToken ct)
    {
        Context.Log('I', "DocumentsUI", $"start action={intent.Action}");
        _drawerOpen = false;
        _inDownloads = false;
        return Task.CompletedTask;
    }

    private IReadOnlyList<Android.VfsEntry> Downloads() =>
        Context.Android.FileSystem.IsDirectory(DownloadDirectory)
            ? Context.Android.FileSystem.List(DownloadDirectory).Where(e => !e.IsDirectory).OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase).ToList()
            : [];

    public override UiNode RenderUi()
    {
        var w = Context.ScreenWidth;
        var h = Context.ScreenHeight;
        var t = Text;
        var children = new List<UiNode>
        {
            new()
            {
                ClassName = "android.view.ViewGroup", ResourceId = Id("toolbar"), Bounds = new UiBounds(0, 66, w, ToolbarBottom),
                Children =
                [
                    new UiNode { ClassName = "android.widget.ImageButton", ContentDescription = t.ShowRoots, Clickable = true, Focusable = true, Key = "roots", Bounds = new UiBounds(0, 66, 154, ToolbarBottom) },
                    new UiNode { ClassName = "android.widget.TextView", Text = _inDownloads ? t.Downloads : t.Recent, Bounds = new UiBounds(190, 106, w - 40, ToolbarBottom - 40) },
                ],
            },
        };
        if (_inDownloads)
        {
            var files = Downloads();
            var items = files.Select((file, i) =>
            {
                var top = ToolbarBottom + i * RowHeight;
                return new UiNode
                {
                    ClassName = "android.widget.LinearLayout", ResourceId = Id("item_root"), Clickable = true, Focusable = true, LongClickable = true, Key = "file:" + file.Name,
                    Bounds = new UiBounds(0, top, w, top + RowHeight),
                    Children =
                    [
                        new UiNode { ClassName = "android.widget.TextView", ResourceId = "android:id/title", Text = file.Name, Bounds = new UiBounds(180, top + 30, w - 40, top + 100) },
                        new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("size"), Text = $"{file.Size} {t.Bytes}", Bounds = new UiBounds(180, top + 100, w / 2, top + 150) },
                    ],
                };
            }).ToList();
            children.Add(new UiNode { ClassName = "androidx.recyclerview.widget.RecyclerView", ResourceId = Id("dir_list"), Scrollable = items.Count > 0, Bounds = new UiBounds(0, ToolbarBottom, w, h), Children = items });
            if (items.Count == 0)
                children.Add(new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("message"), Text = t.NoItems, Bounds = new UiBounds(0, h / 2 - 60, w, h / 2 + 60) });
        }
        else
        {
            children.Add(new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("message"), Text = t.NoItems, Bounds = new UiBounds(0, h / 2 - 60, w, h / 2 + 60) });
        }
        if (_drawerOpen)
        {
            var roots = new[] { ("root:recent", t.Recent), ("root:downloads", t.Downloads), ("root:device", Context.Android.Profile.Model) };
            children.Add(new UiNode
            {
                ClassName = "android.widget.LinearLayout", ResourceId = Id("drawer_roots"), Bounds = new UiBounds(0, 0, w * 3 / 4, h),
                Children =
                [
                    new UiNode
                    {
                        ClassName = "android.widget.ListView", ResourceId = Id("roots_list"), Bounds = new UiBounds(0, 66, w * 3 / 4, 66 + roots.Length * RowHeight),
                        Children = roots.Select((root, i) => new UiNode
                        {
                            ClassName = "android.widget.LinearLayout", Clickable = true, Focusable = true, Key = root.Item1,
                            Bounds = new UiBounds(0, 66 + i * RowHeight, w * 3 / 4, 66 + (i + 1) * RowHeight),
                            Children = [new UiNode { ClassName = "android.widget.TextView", ResourceId = "android:id/title", Text = root.Item2, Bounds = new UiBounds(180, 66 + i * RowHeight + 50, w * 3 / 4 - 40, 66 + i * RowHeight + 130) }],
                        }).ToList(),
                    },
                ],
            });
        }
        return new UiNode { ClassName = "android.widget.FrameLayout", Bounds = new UiBounds(0, 0, w, h), Children = children };
    }

    protected override async Task OnClickAsync(UiNode node, CancellationToken ct)
    {
        switch (node.Key)
        {
            case "roots":
                _drawerOpen = !_drawerOpen;
                break;
            case "root:downloads":
                _inDownloads = true;
                _drawerOpen = false;
                break;
            case "root:recent" or "root:device":
                _inDownloads = false;
                _drawerOpen = false;
                break;
            case { } key when key.StartsWith("file:", StringComparison.Ordinal):
                var name = key["file:".Length..];
                var path = $"{DownloadDirectory}/{name}";
                Context.Log('I', "DocumentsUI", $"picked {path}");
                await Context.FinishAsync(new ActivityResult(true, "content://com.android.providers.downloads.documents/document/raw%3A" + Uri.EscapeDataString(path),
                    new Dictionary<string, string> { [ExtraPath] = path }), ct).ConfigureAwait(false);
                break;
        }
    }

    public override async Task<bool> OnKeyEventAsync(string keyCode, CancellationToken ct)
    {
        if (keyCode != "KEYCODE_BACK") return false;
        if (_drawerOpen)
        {
            _drawerOpen = false;
            return true;
        }
        await Context.FinishAsync(ActivityResult.Canceled, ct).ConfigureAwait(false);
        return true;
    }
}
