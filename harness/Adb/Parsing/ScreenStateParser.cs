using System.Text.RegularExpressions;

namespace Harness.Adb.Parsing;

/// <summary>
/// Whether the display is on and the keyguard is up, from `dumpsys power` and `dumpsys window` as Android 8–15 print
/// them (mWakefulness=Awake|Asleep|Dozing|Dreaming; mDreamingLockscreen=, isStatusBarKeyguard=, KeyguardServiceDelegate
/// showing=, mShowingLockscreen=). Null when the output says nothing either way. No I/O.
/// </summary>
public static partial class ScreenStateParser
{
    [GeneratedRegex(@"mWakefulness=(\w+)")]
    private static partial Regex Wakefulness();

    [GeneratedRegex(@"\b(?:mDreamingLockscreen|isStatusBarKeyguard|mShowingLockscreen|showing)=(true|false)\b")]
    private static partial Regex KeyguardFlag();

    public static bool? IsAwake(string dumpsysPower)
    {
        var match = Wakefulness().Match(dumpsysPower ?? "");
        return match.Success ? match.Groups[1].Value == "Awake" : null;
    }

    /// <summary>True when any keyguard flag says it is showing.</summary>
    public static bool? IsKeyguardShowing(string dumpsysWindow)
    {
        var flags = KeyguardFlag().Matches(dumpsysWindow ?? "").Select(m => m.Groups[1].Value == "true").ToList();
        return flags.Count == 0 ? null : flags.Any(f => f);
    }
}
