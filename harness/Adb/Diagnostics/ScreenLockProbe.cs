using Harness.Adb.Parsing;

namespace Harness.Adb.Diagnostics;

/// <summary>
/// Wakes a phone and opens a keyguard without a PIN, then asks whether it is still asleep or locked; and whether
/// `input` is allowed at all. Used before a run (PhoneReadiness) and by `harness doctor`.
/// </summary>
public static class ScreenLockProbe
{
    /// <summary>KEYCODE_WAKEUP turns the screen on (and never off, unlike POWER); `wm dismiss-keyguard` opens a lock without PIN.</summary>
    public static async Task WakeAndUnlockAsync(AdbClient adb, string serial, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(adb);
        var wake = await adb.ShellAsync(serial, ShellQuote.Join("input", "keyevent", "KEYCODE_WAKEUP"), ct).ConfigureAwait(false);
        var said = wake.Stdout + wake.Stderr;
        if (InputInjectionDeniedException.Matches(said)) throw new InputInjectionDeniedException("input keyevent KEYCODE_WAKEUP", said);
        await adb.ShellAsync(serial, ShellQuote.Join("wm", "dismiss-keyguard"), ct).ConfigureAwait(false);
    }

    /// <summary>Asleep or behind the keyguard, as `dumpsys power` and `dumpsys window policy` say.</summary>
    public static async Task<bool> IsLockedAsync(AdbClient adb, string serial, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(adb);
        var power = await adb.ShellAsync(serial, ShellQuote.Join("dumpsys", "power"), ct).ConfigureAwait(false);
        var window = await adb.ShellAsync(serial, ShellQuote.Join("dumpsys", "window", "policy"), ct).ConfigureAwait(false);
        return ScreenStateParser.IsAwake(power.Stdout) == false || ScreenStateParser.IsKeyguardShowing(window.Stdout) == true;
    }

    /// <summary>`input keyevent KEYCODE_UNKNOWN` changes nothing; its answer says whether input injection is allowed.</summary>
    public static async Task<bool> InputInjectionDeniedAsync(AdbClient adb, string serial, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(adb);
        var probe = await adb.ShellAsync(serial, ShellQuote.Join("input", "keyevent", "0"), ct).ConfigureAwait(false);
        return InputInjectionDeniedException.Matches(probe.Stdout + probe.Stderr);
    }
}
