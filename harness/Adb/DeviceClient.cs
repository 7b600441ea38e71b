using System.Globalization;
using Harness.Adb.Parsing;
using Harness.Adb.Protocol;
using Harness.Adb.Ui;

namespace Harness.Adb;

/// <summary>UI automation of one device on top of <see cref="AdbClient"/>: dumps, selectors, input, apps, logcat, screenshots.</summary>
public sealed class DeviceClient
{
    /// <summary>Where the fallback dump goes; /data/local/tmp is writable by the shell user on every Android version.</summary>
    public const string FallbackDumpPath = "/data/local/tmp/harness-window-dump.xml";

    public DeviceClient(AdbClient client, DeviceData device)
    {
        Client = client ?? throw new ArgumentNullException(nameof(client));
        Device = device ?? throw new ArgumentNullException(nameof(device));
    }

    public AdbClient Client { get; }
    public DeviceData Device { get; }
    public string Serial => Device.Serial;

    /// <summary>Pause between dumps while waiting for an element.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(300);

    // ---------------------------------------------------------------- screen

    /// <summary>
    /// Dumps the UI hierarchy. First `exec:uiautomator dump /dev/tty` (one round trip, works because exec gets a PTY);
    /// if that yields no XML, dump to a file and read it back over sync.
    /// </summary>
    public async Task<UiHierarchy> DumpScreenAsync(CancellationToken cancellationToken = default)
    {
        var direct = await Client.ExecOutAsync(Serial, "uiautomator dump /dev/tty", cancellationToken).ConfigureAwait(false);
        var text = HostProtocol.Encoding.GetString(direct);
        if (UiHierarchy.ExtractXml(text) is not null) return UiHierarchy.Parse(text);
        // "could not get idle state" is the phone's answer, not a /dev/tty problem: a file dump would fail the same way.
        var failure = UiDumpFailure.Describe(text);
        if (failure.Transient && text.Trim().Length > 0) throw failure;

        // The old file goes first: after a failed dump, a stale one would be read back as the current screen.
        var command = ShellQuote.Join("rm", "-f", FallbackDumpPath) + " && " + ShellQuote.Join("uiautomator", "dump", FallbackDumpPath);
        var dump = await Client.ShellAsync(Serial, command, cancellationToken).ConfigureAwait(false);
        var said = dump.Stdout + dump.Stderr;
        if (!said.Contains("dumped to", StringComparison.OrdinalIgnoreCase)) throw UiDumpFailure.Describe(said);
        byte[] file;
        try
        {
            file = await Client.PullBytesAsync(Serial, FallbackDumpPath, cancellationToken).ConfigureAwait(false);
        }
        catch (SyncFailedException e)
        {
            throw new AdbCommandFailedException("uiautomator dump", $"no dump was written ({said.Trim()}; {e.DeviceMessage})");
        }
        return UiHierarchy.Parse(HostProtocol.Encoding.GetString(file));
    }

    public async Task<UiElement?> FindElementAsync(UiSelector selector, CancellationToken cancellationToken = default) =>
        (await DumpScreenAsync(cancellationToken).ConfigureAwait(false)).Find(selector);

    public async Task<IReadOnlyList<UiElement>> FindElementsAsync(UiSelector selector, CancellationToken cancellationToken = default) =>
        (await DumpScreenAsync(cancellationToken).ConfigureAwait(false)).FindAll(selector);

    /// <summary>Re-dumps until the selector matches or <paramref name="timeout"/> passes (then <see cref="ElementNotFoundException"/>).</summary>
    public async Task<UiElement> WaitForElementAsync(UiSelector selector, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var attempts = 0;
        try
        {
            while (true)
            {
                attempts++;
                var hierarchy = await DumpScreenAsync(deadline.Token).ConfigureAwait(false);
                if (hierarchy.Find(selector) is { } element) return element;
                await Task.Delay(PollInterval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ElementNotFoundException($"no element {selector} on {Serial} after {timeout.TotalSeconds:0.#} s ({attempts} dump(s))");
        }
    }

    // ---------------------------------------------------------------- input

    public Task TapAsync(int x, int y, CancellationToken cancellationToken = default) =>
        InputAsync($"input tap {x} {y}", cancellationToken);

    public Task TapAsync(UiPoint point, CancellationToken cancellationToken = default) => TapAsync(point.X, point.Y, cancellationToken);

    public Task TapAsync(UiElement element, CancellationToken cancellationToken = default) => TapAsync(element.Center, cancellationToken);

    /// <summary>A long press is a swipe that does not move.</summary>
    public Task LongPressAsync(int x, int y, TimeSpan? duration = null, CancellationToken cancellationToken = default) =>
        SwipeAsync(x, y, x, y, duration ?? TimeSpan.FromMilliseconds(800), cancellationToken);

    public Task SwipeAsync(int x1, int y1, int x2, int y2, TimeSpan duration, CancellationToken cancellationToken = default) =>
        InputAsync(string.Create(CultureInfo.InvariantCulture, $"input swipe {x1} {y1} {x2} {y2} {(long)duration.TotalMilliseconds}"), cancellationToken);

    /// <summary>
    /// Types text into the focused field: `input text` for printable ASCII (see <see cref="InputTextEscaper"/>), the
    /// <see cref="UnicodeTextInput"/> fallbacks for anything else.
    /// </summary>
    public Task SendTextAsync(string text, CancellationToken cancellationToken = default) =>
        UnicodeTextInput.NeedsFallback(text)
            ? UnicodeTextInput.TypeAsync(Client, Serial, text, cancellationToken)
            : InputAsync("input text " + InputTextEscaper.Escape(text), cancellationToken);

    /// <summary>`input keyevent`: a name such as KEYCODE_ENTER or a number.</summary>
    public Task KeyEventAsync(string keyCode, CancellationToken cancellationToken = default) =>
        InputAsync(ShellQuote.Join("input", "keyevent", keyCode), cancellationToken);

    private async Task InputAsync(string command, CancellationToken cancellationToken)
    {
        var result = await Client.ShellAsync(Serial, command, cancellationToken).ConfigureAwait(false);
        var output = (result.Stdout + result.Stderr).Trim();
        if (InputInjectionDeniedException.Matches(output)) throw new InputInjectionDeniedException(command, output);
        if (!result.Succeeded || output.StartsWith("Error", StringComparison.Ordinal) || output.StartsWith("java.lang.", StringComparison.Ordinal)
            || output.StartsWith("usage", StringComparison.OrdinalIgnoreCase))
            throw new AdbCommandFailedException(command, output.Length > 0 ? output : $"exit code {result.ExitCode}");
    }

    // ---------------------------------------------------------------- apps

    /// <summary>Starts the launcher activity: `am start -n` when <paramref name="activity"/> is given, otherwise monkey.</summary>
    public async Task StartAppAsync(string packageName, string? activity = null, CancellationToken cancellationToken = default)
    {
        string command = activity is null
            ? ShellQuote.Join("monkey", "-p", packageName, "-c", "android.intent.category.LAUNCHER", "1")
            : ShellQuote.Join("am", "start", "-W", "-n", $"{packageName}/{activity}");
        var result = await Client.ShellAsync(Serial, command, cancellationToken).ConfigureAwait(false);
        EnsureStarted(command, result);
    }

    /// <summary>`am start -W -a ACTION [-d DATA] [-p PACKAGE]`, e.g. VIEW of a URL in a given browser.</summary>
    public async Task StartActivityAsync(string action, string? data = null, string? packageName = null, CancellationToken cancellationToken = default)
    {
        var arguments = new List<string> { "start", "-W", "-a", action };
        if (data is not null) arguments.AddRange(["-d", data]);
        if (packageName is not null) arguments.AddRange(["-p", packageName]);
        var command = ShellQuote.Join("am", arguments);
        var result = await Client.ShellAsync(Serial, command, cancellationToken).ConfigureAwait(false);
        EnsureStarted(command, result);
    }

    private static void EnsureStarted(string command, ShellResult result)
    {
        var output = result.Stdout + result.Stderr;
        if (!result.Succeeded || output.Contains("Error", StringComparison.Ordinal) || output.Contains("monkey aborted", StringComparison.Ordinal)
            || output.Contains("No activities found", StringComparison.Ordinal))
            throw new AdbCommandFailedException(command, output.Trim().Length > 0 ? output.Trim() : $"exit code {result.ExitCode}");
    }

    public async Task ForceStopAsync(string packageName, CancellationToken cancellationToken = default)
    {
        var command = ShellQuote.Join("am", "force-stop", packageName);
        (await Client.ShellAsync(Serial, command, cancellationToken).ConfigureAwait(false)).EnsureSuccess(command);
    }

    /// <summary>`pm clear`: wipes the app's data (cookies, history, identifiers).</summary>
    public async Task ClearAppDataAsync(string packageName, CancellationToken cancellationToken = default)
    {
        var command = ShellQuote.Join("pm", "clear", packageName);
        var result = await Client.ShellAsync(Serial, command, cancellationToken).ConfigureAwait(false);
        if (!result.Stdout.Contains("Success", StringComparison.Ordinal))
            throw new AdbCommandFailedException(command, (result.Stdout + result.Stderr).Trim());
    }

    /// <summary>The resumed activity (dumpsys activity), falling back to the focused window (dumpsys window); null when neither says.</summary>
    public async Task<FocusedActivity?> GetFocusedActivityAsync(CancellationToken cancellationToken = default)
    {
        var activities = await Client.ShellAsync(Serial, "dumpsys activity activities", cancellationToken).ConfigureAwait(false);
        if (FocusedActivityParser.Parse(activities.Stdout) is { } resumed) return resumed;
        var window = await Client.ShellAsync(Serial, "dumpsys window", cancellationToken).ConfigureAwait(false);
        return FocusedActivityParser.Parse(window.Stdout);
    }

    // ---------------------------------------------------------------- logs and screenshots

    public async Task<string> LogcatDumpAsync(string? extraArguments = null, CancellationToken cancellationToken = default)
    {
        var command = "logcat -d" + (string.IsNullOrWhiteSpace(extraArguments) ? "" : " " + extraArguments);
        var result = await Client.ShellAsync(Serial, command, cancellationToken).ConfigureAwait(false);
        return result.EnsureSuccess(command).Stdout;
    }

    /// <summary>Follows logcat line by line until the token is cancelled.</summary>
    public IAsyncEnumerable<string> StreamLogcatAsync(string? extraArguments = null, CancellationToken cancellationToken = default) =>
        Client.StreamShellLinesAsync(Serial, "logcat" + (string.IsNullOrWhiteSpace(extraArguments) ? "" : " " + extraArguments), cancellationToken);

    /// <summary>`exec:screencap -p`: PNG bytes, binary-safe.</summary>
    public async Task<byte[]> ScreenshotPngAsync(CancellationToken cancellationToken = default)
    {
        var png = await Client.ExecOutAsync(Serial, "screencap -p", cancellationToken).ConfigureAwait(false);
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(PngSignature))
            throw new AdbProtocolException($"screencap -p did not return a PNG ({png.Length} bytes, starting \"{HostProtocol.Describe(png.AsSpan(0, Math.Min(16, png.Length)))}\")");
        return png;
    }

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
}
