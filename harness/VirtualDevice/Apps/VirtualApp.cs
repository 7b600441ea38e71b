namespace Harness.VirtualDevice.Apps;

/// <summary>
/// An app running on the virtual phone. Subclasses draw their screen as a <see cref="UiNode"/> tree and react to intents,
/// taps, text and keys; the defaults implement Android's touch dispatch so most apps only override <see cref="OnClickAsync"/>.
/// </summary>
public abstract class VirtualApp(VirtualAppContext context)
{
    public VirtualAppContext Context { get; } = context;
    public string PackageName => Context.PackageName;
    public string VersionName => Context.Package.Manifest.VersionName;
    public long VersionCode => Context.Package.Manifest.VersionCode;
    /// <summary>Launcher activity, short form (".MainActivity") or fully qualified.</summary>
    public string LauncherActivity => Context.Package.LauncherActivity;
    /// <summary>The activity on top of this app's task.</summary>
    public virtual string CurrentActivity => LauncherActivity;

    /// <summary>Resource id of the node that has input focus, if any.</summary>
    protected string? FocusedResourceId { get; set; }

    public virtual Task OnLaunchAsync(AppIntent intent, CancellationToken ct) => Task.CompletedTask;

    /// <summary>An activity this app started with <see cref="VirtualAppContext.StartActivityForResultAsync"/> finished; this app is in front again.</summary>
    public virtual Task OnActivityResultAsync(int requestCode, ActivityResult result, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The process is being killed (am force-stop, pm clear, uninstall). State not saved in data files is lost.</summary>
    public virtual Task OnStopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>The app's window content (root first); its bounds are screen coordinates.</summary>
    public abstract UiNode RenderUi();

    /// <summary>Touch at (x, y): focus moves to a focusable node, and the deepest clickable node gets the click.</summary>
    public virtual async Task OnTapAsync(int x, int y, CancellationToken ct)
    {
        var root = RenderUi();
        var focusable = root.HitTest(x, y, n => n.Focusable && n.Enabled && n.ClassName.EndsWith("EditText", StringComparison.Ordinal));
        if (focusable != null) FocusedResourceId = focusable.ResourceId;
        var target = root.HitTest(x, y, n => n.Clickable && n.Enabled);
        if (target != null) await OnClickAsync(target, ct).ConfigureAwait(false);
    }

    protected virtual Task OnClickAsync(UiNode node, CancellationToken ct) => Task.CompletedTask;

    public virtual Task OnSwipeAsync(int x1, int y1, int x2, int y2, int durationMs, CancellationToken ct) => Task.CompletedTask;

    /// <summary>`input text`: appended to the focused field.</summary>
    public virtual Task OnTextInputAsync(string text, CancellationToken ct)
    {
        if (FocusedResourceId != null) OnTextEntered(FocusedResourceId, text);
        return Task.CompletedTask;
    }

    protected virtual void OnTextEntered(string resourceId, string text) { }

    /// <summary>`input keyevent` with the KEYCODE_ name. Returns false when the app does not consume it (BACK then leaves the app).</summary>
    public virtual Task<bool> OnKeyEventAsync(string keyCode, CancellationToken ct) => Task.FromResult(false);
}
