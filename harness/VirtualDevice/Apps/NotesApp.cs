namespace Harness.VirtualDevice.Apps;

/// <summary>
/// com.example.notes: an EditText (id/note_input), a Save button (id/save) and a TextView (id/saved) showing the last saved note.
/// The saved note lives in the app's data, so it survives force-stop and is wiped by pm clear. Labels follow the locale (en, es).
/// </summary>
public sealed class NotesApp(VirtualAppContext context) : VirtualApp(context)
{
    public const string PackageId = "com.example.notes";
    public static VirtualAppKind Kind { get; } = new("notes", ".MainActivity", c => new NotesApp(c));

    private const string SavedFile = "note.txt";
    private string _draft = "";

    public static VirtualApkManifest Manifest(string versionName = "1.0", long versionCode = 1) => new(PackageId, versionName, versionCode, "notes");

    public override Task OnLaunchAsync(AppIntent intent, CancellationToken ct)
    {
        Context.Log('I', "NotesActivity", $"onCreate action={intent.Action}");
        if (intent.Extras?.TryGetValue("note", out var note) == true) _draft = note;
        return Task.CompletedTask;
    }

    private bool Spanish => Context.Language == "es";
    private string Id(string name) => $"{PackageName}:id/{name}";

    public override UiNode RenderUi()
    {
        var w = Context.ScreenWidth;
        var h = Context.ScreenHeight;
        var saved = Context.ReadDataText(SavedFile) ?? "";
        var focused = FocusedResourceId == Id("note_input");
        return new UiNode
        {
            ClassName = "android.widget.FrameLayout",
            Bounds = new UiBounds(0, 0, w, h),
            Children =
            [
                new UiNode
                {
                    ClassName = "android.widget.LinearLayout",
                    Bounds = new UiBounds(0, 66, w, h),
                    Children =
                    [
                        new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("title"), Text = Spanish ? "Notas" : "Notes", Bounds = new UiBounds(0, 66, w, 220) },
                        new UiNode
                        {
                            ClassName = "android.widget.EditText", ResourceId = Id("note_input"), Text = _draft,
                            Clickable = true, Focusable = true, Focused = focused, LongClickable = true,
                            Bounds = new UiBounds(42, 260, w - 42, 420),
                        },
                        new UiNode
                        {
                            ClassName = "android.widget.Button", ResourceId = Id("save"), Text = Spanish ? "Guardar" : "Save",
                            Clickable = true, Focusable = true, Bounds = new UiBounds(42, 460, 420, 600),
                        },
                        new UiNode { ClassName = "android.widget.TextView", ResourceId = Id("saved"), Text = saved, Bounds = new UiBounds(42, 640, w - 42, 800) },
                    ],
                },
            ],
        };
    }

    protected override Task OnClickAsync(UiNode node, CancellationToken ct)
    {
        if (node.ResourceId == Id("save")) Save();
        return Task.CompletedTask;
    }

    protected override void OnTextEntered(string resourceId, string text)
    {
        if (resourceId == Id("note_input")) _draft += text;
    }

    public override Task<bool> OnKeyEventAsync(string keyCode, CancellationToken ct)
    {
        switch (keyCode)
        {
            case "KEYCODE_DEL" when FocusedResourceId == Id("note_input"):
                if (_draft.Length > 0) _draft = _draft[..^1];
                return Task.FromResult(true);
            case "KEYCODE_ENTER" when FocusedResourceId == Id("note_input"):
                Save();
                return Task.FromResult(true);
            default:
                return Task.FromResult(false);
        }
    }

    private void Save()
    {
        Context.WriteDataText(SavedFile, _draft);
        Context.Log('I', "NotesActivity", $"saved {_draft.Length} chars");
    }
}
