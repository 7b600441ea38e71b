using Harness.Adb;
using Harness.Adb.Ui;

namespace Harness.Browsers;

/// <summary>
/// Drives one installed app through the recipes of its profile: a browser under test, or a system app such as Settings
/// (a <see cref="ProfileKind.SystemApp"/> profile, same engine, its own actions). Every step is checked by reading the UI back:
/// waits re-dump the screen until a state appears (bounded by a timeout), a tap whose expected result does not show is
/// retried, and a check that never holds throws <see cref="BrowserStepFailedException"/> with a screenshot and the dump.
/// </summary>
public sealed class BrowserDriver
{
    internal IDeviceUi Device { get; }
    internal BrowserDriverOptions Options { get; }
    private string? _component;

    private BrowserDriver(IDeviceUi device, BrowserProfile profile, string installedVersion, BrowserVersionRange range, string? language, BrowserDriverOptions options)
    {
        Device = device;
        Profile = profile;
        InstalledVersion = installedVersion;
        VersionRange = range;
        Language = language;
        Options = options;
        _component = profile.LaunchActivity;
    }

    public BrowserProfile Profile { get; }

    /// <summary>versionName read from the phone.</summary>
    public string InstalledVersion { get; }

    /// <summary>The profile's version range that contains <see cref="InstalledVersion"/>.</summary>
    public BrowserVersionRange VersionRange { get; }

    /// <summary>The label language used (from the phone's locale); null when the phone's language is not in the profile and all are tried.</summary>
    public string? Language { get; }

    /// <summary>
    /// Reads the installed version and the phone's language, and picks the version range. Throws
    /// <see cref="BrowserNotInstalledException"/> or <see cref="BrowserVersionNotSupportedException"/>.
    /// </summary>
    public static async Task<BrowserDriver> AttachAsync(IDeviceUi device, BrowserProfile profile, BrowserDriverOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(profile);
        options ??= new BrowserDriverOptions();
        var version = await device.GetPackageVersionNameAsync(profile.Package, cancellationToken).ConfigureAwait(false)
            ?? throw new BrowserNotInstalledException(profile);
        var range = profile.SelectRange(version);
        var language = options.Language ?? await DetectLanguageAsync(device, cancellationToken).ConfigureAwait(false);
        if (language is not null && !profile.Languages.Contains(language)) language = null;
        return new BrowserDriver(device, profile, version, range, language, options);
    }

    /// <summary>The language part of persist.sys.locale (or ro.product.locale): "es-ES" → "es".</summary>
    public static async Task<string?> DetectLanguageAsync(IDeviceUi device, CancellationToken cancellationToken)
    {
        foreach (var property in new[] { "persist.sys.locale", "ro.product.locale" })
        {
            var locale = (await device.GetPropertyAsync(property, cancellationToken).ConfigureAwait(false))?.Trim();
            if (string.IsNullOrEmpty(locale)) continue;
            var language = locale.Split('-', '_')[0].ToLowerInvariant();
            if (language.Length > 0) return language;
        }
        return null;
    }

    public bool Supports(BrowserAction action) => VersionRange.Supports(action);

    /// <summary>
    /// Starts the app (by the profile's intent action, else its launcher activity, resolved on the phone when the
    /// profile has none) and waits for its first screen.
    /// </summary>
    public async Task LaunchAsync(CancellationToken cancellationToken = default)
    {
        if (Profile.LaunchAction is { } intentAction)
        {
            await Device.StartActionAsync(intentAction, Profile.Package, cancellationToken).ConfigureAwait(false);
            var (started, first) = await WaitUntilAsync(s => s.AllElements.Any(e => e.Package == Profile.Package), Options.LaunchTimeout, cancellationToken).ConfigureAwait(false);
            if (!started)
                throw await FailureAsync("launch", null, $"am start -a {intentAction} -p {Profile.Package}", null, $"a screen of {Profile.Package} within {Options.LaunchTimeout.TotalSeconds:0.#}s", first, cancellationToken).ConfigureAwait(false);
            return;
        }
        _component ??= await Device.ResolveLauncherActivityAsync(Profile.Package, cancellationToken).ConfigureAwait(false)
            ?? throw new BrowserStepFailedException(Profile.Id, "launch", null, $"resolve the launcher activity of {Profile.Package}", null,
                "the package manager to name a launcher activity", null, null, "the phone resolved no launcher activity: set launch-activity in " + Profile.SourceFile);
        await Device.StartActivityAsync(_component, cancellationToken).ConfigureAwait(false);
        var (shown, screen) = await WaitUntilAsync(s => s.AllElements.Any(e => e.Package == Profile.Package), Options.LaunchTimeout, cancellationToken).ConfigureAwait(false);
        if (!shown)
            throw await FailureAsync("launch", null, $"start {_component}", null, $"a screen of {Profile.Package} within {Options.LaunchTimeout.TotalSeconds:0.#}s", screen, cancellationToken).ConfigureAwait(false);
    }

    public Task ForceStopAsync(CancellationToken cancellationToken = default) => Device.ForceStopAsync(Profile.Package, cancellationToken);

    public async Task<ActionResult> RunAsync(BrowserAction action, ActionArguments? arguments = null, CancellationToken cancellationToken = default)
    {
        if (!VersionRange.Recipes.TryGetValue(action, out var recipe))
            throw new BrowserActionNotAvailableException(Profile, InstalledVersion, VersionRange, action);
        var run = new RecipeRun(this, recipe, arguments ?? ActionArguments.None);
        for (var i = 0; i < recipe.Steps.Count; i++)
            await run.ExecuteAsync(i, cancellationToken).ConfigureAwait(false);
        return new ActionResult(action, run.State, run.Text, run.Taps);
    }

    public Task<ActionResult> OpenUrlAsync(string url, CancellationToken cancellationToken = default) =>
        RunAsync(BrowserAction.OpenUrl, new ActionArguments(Url: url), cancellationToken);

    public Task<ActionResult> SearchAsync(string term, CancellationToken cancellationToken = default) =>
        RunAsync(BrowserAction.Search, new ActionArguments(Term: term), cancellationToken);

    public Task<ActionResult> SetIncognitoAsync(bool on, CancellationToken cancellationToken = default) =>
        RunAsync(on ? BrowserAction.IncognitoOn : BrowserAction.IncognitoOff, null, cancellationToken);

    public async Task<bool> IsIncognitoAsync(CancellationToken cancellationToken = default) =>
        (await RunAsync(BrowserAction.ConfirmIncognitoState, null, cancellationToken).ConfigureAwait(false)).State ?? false;

    public Task<ActionResult> SetEnhancedIncognitoAsync(bool on, CancellationToken cancellationToken = default) =>
        RunAsync(on ? BrowserAction.EnhancedIncognitoOn : BrowserAction.EnhancedIncognitoOff, null, cancellationToken);

    public Task<ActionResult> SignInAsync(string account, string password, CancellationToken cancellationToken = default) =>
        RunAsync(BrowserAction.SignIn, new ActionArguments(Account: account, Password: password), cancellationToken);

    public async Task<bool> IsSignedInAsync(CancellationToken cancellationToken = default) =>
        (await RunAsync(BrowserAction.SignInState, null, cancellationToken).ConfigureAwait(false)).State ?? false;

    public Task<ActionResult> SetSyncAsync(bool on, CancellationToken cancellationToken = default) =>
        RunAsync(on ? BrowserAction.SyncOn : BrowserAction.SyncOff, null, cancellationToken);

    /// <summary>Re-dumps until <paramref name="done"/> holds or <paramref name="timeout"/> passes; a dump that fails (e.g. "could not get idle state") counts as not yet.</summary>
    internal async Task<(bool Done, UiHierarchy? Screen)> WaitUntilAsync(Func<UiHierarchy, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var time = Options.TimeProvider;
        var started = time.GetTimestamp();
        UiHierarchy? last = null;
        while (true)
        {
            var screen = await TryDumpAsync(cancellationToken).ConfigureAwait(false);
            if (screen is not null) screen = await DismissDialogsAsync(screen, cancellationToken).ConfigureAwait(false);
            if (screen is not null)
            {
                last = screen;
                if (done(screen)) return (true, screen);
            }
            if (time.GetElapsedTime(started) >= timeout) return (false, last);
            await Task.Delay(Options.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private readonly List<DismissedDialog> _dismissed = [];

    /// <summary>Every interrupting dialog dismissed so far, in order.</summary>
    public IReadOnlyList<DismissedDialog> DismissedDialogs => _dismissed;

    /// <summary>Raised when an interrupting dialog was dismissed (a case records it as a step).</summary>
    public event Action<DismissedDialog>? DialogDismissed;

    private IEnumerable<InterruptingDialog> Dialogs => Profile.Dialogs.Concat(Options.ExtraDialogs);

    /// <summary>
    /// Every dump the driver takes passes here: a declared dialog on screen is dismissed and the screen dumped again, so
    /// no step ever judges a screen a dialog covers. A dialog that stays after its dismissal fails the step (with a
    /// screenshot): the case is inconclusive.
    /// </summary>
    private async Task<UiHierarchy?> DismissDialogsAsync(UiHierarchy screen, CancellationToken cancellationToken)
    {
        for (var round = 0; round < Options.MaxDialogsInARow; round++)
        {
            var dialog = Dialogs.FirstOrDefault(d => SelectorMatcher.AllHold(screen, d.When, Language, ActionArguments.None, default));
            if (dialog is null) return screen;
            if (dialog.Tap is { } target)
            {
                var element = SelectorMatcher.Find(screen, target, Language);
                if (element?.Bounds is null)
                    throw await FailureAsync("dialog " + dialog.Name, null, dialog.DescribeDismissal(), dialog.Location, $"{target} on the dialog to dismiss it", screen, cancellationToken).ConfigureAwait(false);
                await Device.TapAsync(element.Center.X, element.Center.Y, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Device.KeyEventAsync(dialog.Key!, cancellationToken).ConfigureAwait(false);
            }
            var time = Options.TimeProvider;
            var started = time.GetTimestamp();
            UiHierarchy? after = null;
            while (true)
            {
                var now = await TryDumpAsync(cancellationToken).ConfigureAwait(false);
                if (now is not null && !SelectorMatcher.AllHold(now, dialog.When, Language, ActionArguments.None, default))
                {
                    after = now;
                    break;
                }
                if (time.GetElapsedTime(started) >= Options.TapCheckTimeout) break;
                await Task.Delay(Options.PollInterval, time, cancellationToken).ConfigureAwait(false);
            }
            if (after is null)
                throw await FailureAsync("dialog " + dialog.Name, null, dialog.DescribeDismissal(), dialog.Location, $"dialog {dialog.Name} gone after {dialog.DescribeDismissal()}", null, cancellationToken).ConfigureAwait(false);
            var dismissed = new DismissedDialog(dialog.Name, dialog.DescribeDismissal(), time.GetUtcNow());
            _dismissed.Add(dismissed);
            DialogDismissed?.Invoke(dismissed);
            screen = after;
        }
        throw await FailureAsync("dialogs", null, "dismiss interrupting dialogs", null, $"at most {Options.MaxDialogsInARow} dialogs in a row", screen, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<UiHierarchy?> TryDumpAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Device.DumpAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AdbProtocolException)
        {
            return null;
        }
    }

    internal async Task<BrowserStepFailedException> FailureAsync(string? action, int? stepIndex, string step, SourceLocation? location, string expected,
        UiHierarchy? screen, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        byte[]? png = null;
        try
        {
            png = await Device.ScreenshotPngAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            problems.Add($"no screenshot ({e.Message})");
        }
        screen ??= await TryDumpAsync(cancellationToken).ConfigureAwait(false);
        if (screen is null) problems.Add("no UI dump (the phone returned none)");
        var problem = problems.Count == 0 ? null : string.Join("; ", problems) + (png is not null ? "; screenshot attached" : screen is not null ? "; UI dump attached" : "");
        return new BrowserStepFailedException(Profile.Id, action, stepIndex, step, location, expected, png, screen?.Xml, problem);
    }
}
