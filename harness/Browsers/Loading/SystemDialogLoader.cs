namespace Harness.Browsers;

/// <summary>
/// The system-wide interrupting dialogs (a permission prompt, MIUI's "Install via USB"): every <c>dialogs:</c> entry
/// of the kind: system-app profiles of a folder (scenarios/system), for <see cref="BrowserDriverOptions.ExtraDialogs"/>,
/// so the driver dismisses them in every case whatever the browser.
/// </summary>
public static class SystemDialogLoader
{
    public static IReadOnlyList<InterruptingDialog> LoadDirectory(string directory) =>
        Directory.Exists(directory)
            ? BrowserProfileLoader.LoadDirectory(directory).Where(p => p.Kind == ProfileKind.SystemApp).SelectMany(p => p.Dialogs).ToList()
            : [];
}
