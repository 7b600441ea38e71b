namespace Harness.VirtualDevice.Apps;

/// <summary>
/// How to run the apps of one kind (a virtual APK's "kind"): the launcher activity, a factory, and the intent actions
/// its activities handle (what `am start -a ACTION` resolves to; e.g. android.settings.SECURITY_SETTINGS for Settings).
/// </summary>
public sealed record VirtualAppKind(string Kind, string LauncherActivity, Func<VirtualAppContext, VirtualApp> Create, IReadOnlyList<string>? IntentActions = null)
{
    public bool Handles(string action) => IntentActions?.Contains(action, StringComparer.Ordinal) == true;
}
