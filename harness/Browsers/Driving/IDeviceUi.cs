using Harness.Adb.Ui;

namespace Harness.Browsers;

/// <summary>
/// The few phone operations the <see cref="BrowserDriver"/> needs. <see cref="DeviceClientUi"/> maps them onto the
/// ADB <c>DeviceClient</c>; tests substitute a scripted phone that serves recorded dumps.
/// </summary>
public interface IDeviceUi
{
    /// <summary>The current screen as uiautomator dumps it.</summary>
    Task<UiHierarchy> DumpAsync(CancellationToken cancellationToken);

    Task TapAsync(int x, int y, CancellationToken cancellationToken);

    /// <summary>Types into the focused field, as `input text` does.</summary>
    Task SendTextAsync(string text, CancellationToken cancellationToken);

    /// <summary>A key code name such as KEYCODE_BACK.</summary>
    Task KeyEventAsync(string keyCode, CancellationToken cancellationToken);

    Task<byte[]> ScreenshotPngAsync(CancellationToken cancellationToken);

    /// <summary>Starts a component (<c>pkg/.Activity</c>), as `am start -n` does.</summary>
    Task StartActivityAsync(string component, CancellationToken cancellationToken);

    /// <summary>Starts the activity of <paramref name="package"/> that handles an intent action, as `am start -a ACTION -p PACKAGE` does.</summary>
    Task StartActionAsync(string action, string package, CancellationToken cancellationToken);

    Task ForceStopAsync(string package, CancellationToken cancellationToken);

    /// <summary>
    /// `am start -W` with an intent (action, optional data URI and string extras, optional target package); returns the
    /// activity the phone resolved (<c>pkg/.Activity</c>), or null when it did not say.
    /// </summary>
    Task<string?> StartIntentAsync(string action, string? data, IReadOnlyDictionary<string, string> extras, string? package, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this phone cannot start intents");

    /// <summary>The installed versionName, or null when the package is not installed.</summary>
    Task<string?> GetPackageVersionNameAsync(string package, CancellationToken cancellationToken);

    /// <summary>The launcher activity as <c>pkg/class</c>, resolved by the phone's package manager; null when there is none.</summary>
    Task<string?> ResolveLauncherActivityAsync(string package, CancellationToken cancellationToken);

    /// <summary>One system property; empty or null when unset.</summary>
    Task<string?> GetPropertyAsync(string name, CancellationToken cancellationToken);
}
