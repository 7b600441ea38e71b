using System.Text;
using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Shell;

/// <summary>
/// `ime list [-a] [-s]`, `ime enable ID`, `ime set ID` over Settings.Secure enabled_input_methods and
/// default_input_method (where Android keeps them), and the ADB Keyboard broadcast of `am broadcast`: the phone's
/// keyboard is always there; ADB Keyboard once its package is installed.
/// </summary>
internal static class ImeCommands
{
    private const string LatinIme = "com.android.inputmethod.latin/.LatinIME";

    public static void Register(Dictionary<string, ShellCommand> c) => c["ime"] = Ime;

    private static IReadOnlyList<string> Installed(ShellInvocation i) =>
        i.Android.Packages.Get(AdbKeyboardApp.PackageId) is null ? [LatinIme] : [LatinIme, AdbKeyboardApp.ImeId];

    private static List<string> Enabled(ShellInvocation i) =>
        (i.Android.Settings.Get("secure", "enabled_input_methods") ?? LatinIme).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(Installed(i).Contains).ToList();

    private static async Task<int> Ime(ShellInvocation i, CancellationToken ct)
    {
        var args = i.Args.Skip(1).ToList();
        switch (args.FirstOrDefault())
        {
            case "list":
                var ids = args.Contains("-a") ? Installed(i) : Enabled(i);
                await i.OutAsync(string.Concat(ids.Select(id => args.Contains("-s") ? id + "\n" : $"{id}:\n  mId={id}\n")), ct).ConfigureAwait(false);
                return 0;
            case "enable" when args.Count > 1:
                if (!Installed(i).Contains(args[1])) return await UnknownAsync(i, args[1], ct).ConfigureAwait(false);
                var enabled = Enabled(i);
                var already = enabled.Contains(args[1]);
                if (!already) i.Android.Settings.Put("secure", "enabled_input_methods", string.Join(':', enabled.Append(args[1])));
                await i.OutLineAsync($"Input method {args[1]}: {(already ? "already enabled" : "now enabled")}", ct).ConfigureAwait(false);
                return 0;
            case "set" when args.Count > 1:
                if (!Installed(i).Contains(args[1])) return await UnknownAsync(i, args[1], ct).ConfigureAwait(false);
                if (!Enabled(i).Contains(args[1]))
                {
                    await i.ErrLineAsync($"Input method {args[1]} could not be selected for user #0", ct).ConfigureAwait(false);
                    return 255;
                }
                i.Android.Settings.Put("secure", "default_input_method", args[1]);
                await i.OutLineAsync($"Input method {args[1]} selected for user #0", ct).ConfigureAwait(false);
                return 0;
            default:
                await i.ErrLineAsync("ime <command>:\n  list [-a] [-s]\n  enable [--user <USER_ID>] <ID>\n  disable [--user <USER_ID>] <ID>\n  set [--user <USER_ID>] <ID>", ct).ConfigureAwait(false);
                return 255;
        }
    }

    private static async Task<int> UnknownAsync(ShellInvocation i, string id, CancellationToken ct)
    {
        await i.ErrLineAsync($"Unknown input method {id} cannot be enabled for user #0", ct).ConfigureAwait(false);
        return 255;
    }

    /// <summary>
    /// `am broadcast -a ACTION [--es KEY VALUE]…`: ADB Keyboard's receiver lives in its input-method service, so it
    /// answers only while it is the current IME; it commits the text to the app in front. Any other broadcast, or
    /// this one with no receiver, completes with nobody acting on it (as on a real phone).
    /// </summary>
    public static async Task<int> BroadcastAsync(ShellInvocation i, List<string> args, CancellationToken ct)
    {
        string? action = null;
        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var a = 0; a < args.Count; a++)
        {
            switch (args[a])
            {
                case "-a" when a + 1 < args.Count: action = args[++a]; break;
                case "--es" or "-e" or "--ei" or "--ez" when a + 2 < args.Count: extras[args[a + 1]] = args[a + 2]; a += 2; break;
                case "--user" or "-f" or "-n" or "-p" when a + 1 < args.Count: a++; break;
            }
        }
        await i.OutLineAsync($"Broadcasting: Intent {{ {(action is null ? "" : "act=" + action + " ")}flg=0x400000{(extras.Count > 0 ? " (has extras)" : "")} }}", ct).ConfigureAwait(false);
        var keyboardActive = i.Android.Packages.Get(AdbKeyboardApp.PackageId) is not null
            && i.Android.Settings.Get("secure", "default_input_method") == AdbKeyboardApp.ImeId;
        string? text = null;
        if (keyboardActive && extras.TryGetValue("msg", out var msg))
        {
            if (action == AdbKeyboardApp.Base64Action)
            {
                try { text = Encoding.UTF8.GetString(Convert.FromBase64String(msg)); }
                catch (FormatException) { i.Android.Log.Write(1000, 'E', "ADBKeyBoard", "bad base64 in msg"); }
            }
            else if (action == AdbKeyboardApp.TextAction) text = msg;
        }
        if (text is not null && !i.Android.Screen.Locked && i.Android.Screen.Awake)
            await i.Android.Activities.DispatchAsync(app => app.OnTextInputAsync(text, ct), ct).ConfigureAwait(false);
        await i.OutLineAsync("Broadcast completed: result=0", ct).ConfigureAwait(false);
        return 0;
    }
}
