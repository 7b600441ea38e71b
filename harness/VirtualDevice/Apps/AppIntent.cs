namespace Harness.VirtualDevice.Apps;

/// <summary>What `am start` / `monkey` delivered: action, data URI, target activity and extras.</summary>
public sealed record AppIntent(string Action, string? Data = null, string? Activity = null, IReadOnlyDictionary<string, string>? Extras = null)
{
    public const string ActionMain = "android.intent.action.MAIN";
    public const string ActionView = "android.intent.action.VIEW";

    public static AppIntent Launcher() => new(ActionMain);
}
