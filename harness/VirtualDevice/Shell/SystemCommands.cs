using System.Text;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Ui;

namespace Harness.VirtualDevice.Shell;

/// <summary>getprop, settings, wm, df, id, su, logcat, uiautomator, screencap, input, pidof, ps.</summary>
internal static class SystemCommands
{
    public static void Register(Dictionary<string, ShellCommand> c)
    {
        c["getprop"] = GetProp;
        c["setprop"] = SetProp;
        c["settings"] = Settings;
        c["wm"] = Wm;
        c["df"] = Df;
        c["id"] = Id;
        c["whoami"] = (i, ct) => i.OutLineAsync(i.Session.IsRoot ? "root" : "shell", ct).ContinueWith(_ => 0, ct);
        c["su"] = Su;
        c["logcat"] = Logcat;
        c["uiautomator"] = UiAutomator;
        c["screencap"] = Screencap;
        c["input"] = Input;
        c["pidof"] = Pidof;
        c["ps"] = Ps;
        c["service"] = Service;
    }

    private static async Task<int> GetProp(ShellInvocation i, CancellationToken ct)
    {
        if (i.Args.Count > 1)
        {
            await i.OutLineAsync(i.Android.GetProperty(i.Args[1]) ?? (i.Args.Count > 2 ? i.Args[2] : ""), ct).ConfigureAwait(false);
            return 0;
        }
        await i.OutAsync(string.Concat(i.Android.Properties.Select(kv => $"[{kv.Key}]: [{kv.Value}]\n")), ct).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> SetProp(ShellInvocation i, CancellationToken ct)
    {
        if (i.Args.Count != 3) return await i.FailAsync("Need 2 arguments", ct).ConfigureAwait(false);
        if (i.Args[1].StartsWith("ro.") && i.Android.GetProperty(i.Args[1]) != null || (!i.Session.IsRoot && !i.Args[1].StartsWith("debug.") && !i.Args[1].StartsWith("persist.sys.")))
            return await i.FailAsync($"failed to set property '{i.Args[1]}' to '{i.Args[2]}'", ct).ConfigureAwait(false);
        i.Android.SetProperty(i.Args[1], i.Args[2]);
        return 0;
    }

    private static async Task<int> Settings(ShellInvocation i, CancellationToken ct)
    {
        var args = i.Args.Skip(1).ToList();
        if (args.Count >= 2 && args[0] == "--user") args.RemoveRange(0, 2);
        if (args.Count >= 2 && args[0] is "get" or "put" or "delete" or "list" && !SettingsStore.Namespaces.Contains(args[1]))
        {
            await i.ErrLineAsync($"Invalid namespace '{args[1]}'", ct).ConfigureAwait(false);
            return 1;
        }
        var store = i.Android.Settings;
        switch (args)
        {
            case ["get", var ns, var key]:
                await i.OutLineAsync(store.Get(ns, key) ?? "null", ct).ConfigureAwait(false);
                return 0;
            case ["put", var ns, var key, var value, ..]:
                store.Put(ns, key, value);
                return 0;
            case ["delete", var ns, var key]:
                await i.OutLineAsync($"Deleted {(store.Delete(ns, key) ? 1 : 0)} rows", ct).ConfigureAwait(false);
                return 0;
            case ["list", var ns]:
                await i.OutAsync(string.Concat(store.List(ns).Select(kv => $"{kv.Key}={kv.Value}\n")), ct).ConfigureAwait(false);
                return 0;
            default:
                await i.ErrLineAsync("usage:  settings [--user <USER_ID> | current] get namespace key\n        settings [--user <USER_ID> | current] put namespace key value\n        settings [--user <USER_ID> | current] delete namespace key\n        settings [--user <USER_ID> | current] list namespace", ct).ConfigureAwait(false);
                return 255;
        }
    }

    private static async Task<int> Wm(ShellInvocation i, CancellationToken ct)
    {
        var p = i.Android.Profile;
        switch (i.Args.Skip(1).FirstOrDefault())
        {
            case "size": await i.OutLineAsync($"Physical size: {p.ScreenWidth}x{p.ScreenHeight}", ct).ConfigureAwait(false); return 0;
            case "density": await i.OutLineAsync($"Physical density: {p.Density}", ct).ConfigureAwait(false); return 0;
            case "dismiss-keyguard": i.Android.Screen.DismissKeyguard(); return 0;
            default: await i.ErrLineAsync("Error: unknown command", ct).ConfigureAwait(false); return 255;
        }
    }

    private static async Task<int> Df(ShellInvocation i, CancellationToken ct)
    {
        var rows = new (string Fs, long Size, long Used, string Mount)[]
        {
            ("/dev/root", 3_030_800, 3_010_428, "/"),
            ("tmpfs", 2_881_364, 1_004, "/dev"),
            ("/dev/block/dm-2", 51_206_384, 9_874_212, "/data"),
            ("/data/media", 51_206_384, 9_874_212, "/storage/emulated"),
        };
        var sb = new StringBuilder("Filesystem        1K-blocks    Used Available Use% Mounted on\n");
        var filter = i.Args.Skip(1).Where(a => !a.StartsWith('-')).ToList();
        foreach (var r in rows)
        {
            if (filter.Count > 0 && !filter.Any(f => VirtualFileSystem.Normalize(f).StartsWith(r.Mount == "/" ? "/" : r.Mount, StringComparison.Ordinal) && (r.Mount != "/" || !filter.Any(g => g.StartsWith("/data") || g.StartsWith("/sdcard"))))) continue;
            sb.Append($"{r.Fs,-17} {r.Size,9} {r.Used,7} {r.Size - r.Used,9} {r.Used * 100 / r.Size,3}% {r.Mount}\n");
        }
        await i.OutAsync(sb.ToString(), ct).ConfigureAwait(false);
        return 0;
    }

    private static Task<int> Id(ShellInvocation i, CancellationToken ct) =>
        i.OutLineAsync(i.Session.IsRoot
            ? "uid=0(root) gid=0(root) groups=0(root) context=u:r:su:s0"
            : "uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),1011(adb),1015(sdcard_rw),1028(sdcard_r),3001(net_bt_admin),3002(net_bt),3003(inet),3006(net_bw_stats),3009(readproc),3011(uhid) context=u:r:shell:s0", ct)
        .ContinueWith(_ => 0, ct);

    private static async Task<int> Su(ShellInvocation i, CancellationToken ct)
    {
        var root = i.Session with { IsRoot = true };
        var args = i.Args.Skip(1).ToList();
        if (args.Count > 0 && args[0] is "0" or "root") args.RemoveAt(0);
        if (args.Count >= 2 && args[0] == "-c") return await i.Shell.RunAsync(string.Join(' ', args.Skip(1)), i.Io, root, ct).ConfigureAwait(false);
        if (args.Count > 0) return await i.Shell.RunWordsAsync(args, i.Io, root, ct).ConfigureAwait(false);
        // Bare `su`: commands come on stdin, as when a script is piped into it.
        var script = Encoding.UTF8.GetString(await i.ReadAllStdinAsync(ct).ConfigureAwait(false));
        return await i.Shell.RunAsync(script, new ShellIo(Stream.Null, i.Io.Stdout, i.Io.Stderr), root, ct).ConfigureAwait(false);
    }

    private static async Task<int> Logcat(ShellInvocation i, CancellationToken ct)
    {
        var args = i.Args.Skip(1).ToList();
        if (args.Contains("-c")) { i.Android.Log.Clear(); return 0; }
        var tail = 0;
        for (var a = 0; a < args.Count; a++) if (args[a] == "-t" && a + 1 < args.Count) int.TryParse(args[a + 1], out tail);
        var dumpOnly = args.Contains("-d") || tail > 0;
        if (dumpOnly)
        {
            var entries = i.Android.Log.Snapshot();
            if (tail > 0) entries = entries.Skip(Math.Max(0, entries.Count - tail)).ToList();
            await i.OutAsync("--------- beginning of main\n" + string.Concat(entries.Select(e => e.ToThreadTime() + "\n")), ct).ConfigureAwait(false);
            return 0;
        }
        await i.OutLineAsync("--------- beginning of main", ct).ConfigureAwait(false);
        try
        {
            await foreach (var e in i.Android.Log.FollowAsync(ct).ConfigureAwait(false)) await i.OutLineAsync(e.ToThreadTime(), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        return 0;
    }

    /// <summary>The foreground window as uiautomator sees it: the app's tree, or the launcher's.</summary>
    internal static (Apps.UiNode Root, string Package) CurrentWindow(VirtualAndroid android)
    {
        if (android.Screen.Locked || !android.Screen.Awake) return (Keyguard(android), "com.android.systemui");
        var front = android.Activities.Foreground;
        if (front != null) return (front.App.RenderUi(), front.App.PackageName);
        var p = android.Profile;
        var launcher = android.Activities.LauncherPackage;
        var icons = android.Packages.All.Where(x => !x.IsSystem).Select((pkg, n) => new Apps.UiNode
        {
            ClassName = "android.widget.TextView", ContentDescription = pkg.PackageName, Text = pkg.PackageName.Split('.').Last(), Clickable = true,
            Bounds = new Apps.UiBounds(40 + n % 4 * (p.ScreenWidth - 80) / 4, 300 + n / 4 * 300, 40 + (n % 4 + 1) * (p.ScreenWidth - 80) / 4, 560 + n / 4 * 300),
        }).ToList();
        return (new Apps.UiNode { ClassName = "android.widget.FrameLayout", Bounds = new Apps.UiBounds(0, 0, p.ScreenWidth, p.ScreenHeight), Children = icons }, launcher);
    }

    /// <summary>SystemUI's keyguard (ids as on a real lock screen); dark when the screen is off.</summary>
    private static Apps.UiNode Keyguard(VirtualAndroid android)
    {
        var p = android.Profile;
        var children = new List<Apps.UiNode>();
        if (android.Screen.Awake)
        {
            children.Add(new Apps.UiNode { ClassName = "android.widget.TextView", ResourceId = "com.android.systemui:id/clock_view", Text = "10:09", Bounds = new Apps.UiBounds(0, 400, p.ScreenWidth, 600) });
            children.Add(new Apps.UiNode
            {
                ClassName = "android.widget.TextView", ResourceId = "com.android.systemui:id/keyguard_indication_text",
                Text = android.Screen.SecureLock ? "Swipe up to enter PIN" : "Swipe up to unlock", Bounds = new Apps.UiBounds(0, p.ScreenHeight - 300, p.ScreenWidth, p.ScreenHeight - 200),
            });
        }
        return new Apps.UiNode
        {
            ClassName = "android.widget.FrameLayout", ResourceId = "com.android.systemui:id/keyguard_root_view", Bounds = new Apps.UiBounds(0, 0, p.ScreenWidth, p.ScreenHeight), Children = children,
        };
    }

    private static async Task<int> UiAutomator(ShellInvocation i, CancellationToken ct)
    {
        var args = i.Args.Skip(1).Where(a => a != "--compressed").ToList();
        if (args.Count == 0 || args[0] != "dump")
        {
            await i.ErrLineAsync("Usage: uiautomator <subcommand> [options]\n\nAvailable subcommands:\n\nhelp: displays help message\n\nruntest: executes UI automation tests\n\ndump: creates an XML dump of current UI hierarchy\n\nevents: prints out accessibility events until terminated", ct).ConfigureAwait(false);
            return 1;
        }
        var file = args.Count > 1 ? args[1] : "/sdcard/window_dump.xml";
        if (i.Android.Screen.ConsumeAnimatingDump())
        {
            // What uiautomator prints when the window does not settle within its idle timeout; the exit code is still 0.
            await i.OutLineAsync("ERROR: could not get idle state.", ct).ConfigureAwait(false);
            return 0;
        }
        var (root, package) = CurrentWindow(i.Android);
        var xml = UiAutomatorDumper.Dump(root, package);
        if (file == "/dev/tty")
        {
            if (!i.Session.HasTerminal)
            {
                await i.ErrLineAsync("java.io.FileNotFoundException: /dev/tty: open failed: ENXIO (No such device or address)", ct).ConfigureAwait(false);
                return 1;
            }
            await i.OutAsync(xml, ct).ConfigureAwait(false);
        }
        else
        {
            try { i.Android.FileSystem.WriteFile(file, Encoding.UTF8.GetBytes(xml), i.Session.IsRoot); }
            catch (VirtualFileSystemException e)
            {
                await i.ErrLineAsync($"ERROR: could not write to {file}: {e.Message}", ct).ConfigureAwait(false);
                return 0;
            }
        }
        await i.OutLineAsync($"UI hierchary dumped to: {file}", ct).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> Screencap(ShellInvocation i, CancellationToken ct)
    {
        var file = i.Args.Skip(1).FirstOrDefault(a => !a.StartsWith('-'));
        var (root, _) = CurrentWindow(i.Android);
        var png = ScreenRenderer.RenderPng(root, i.Android.Profile.ScreenWidth, i.Android.Profile.ScreenHeight);
        if (file == null)
        {
            await i.Io.Stdout.WriteAsync(png, ct).ConfigureAwait(false);
            return 0;
        }
        try { i.Android.FileSystem.WriteFile(file, png, i.Session.IsRoot); }
        catch (VirtualFileSystemException e) { return await i.FailAsync($"Error opening file: {file} ({e.Message})", ct).ConfigureAwait(false); }
        return 0;
    }

    private static readonly Dictionary<string, string> KeyCodeNames = new()
    {
        ["3"] = "KEYCODE_HOME", ["4"] = "KEYCODE_BACK", ["61"] = "KEYCODE_TAB", ["66"] = "KEYCODE_ENTER", ["67"] = "KEYCODE_DEL",
        ["82"] = "KEYCODE_MENU", ["84"] = "KEYCODE_SEARCH", ["111"] = "KEYCODE_ESCAPE", ["122"] = "KEYCODE_MOVE_HOME", ["123"] = "KEYCODE_MOVE_END",
        ["187"] = "KEYCODE_APP_SWITCH", ["224"] = "KEYCODE_WAKEUP", ["26"] = "KEYCODE_POWER", ["223"] = "KEYCODE_SLEEP",
    };

    /// <summary>What `input` prints on MIUI when "USB debugging (Security settings)" is off (Android 10 wording).</summary>
    internal const string InjectEventsDenied =
        "Exception occurred while executing:\njava.lang.SecurityException: Injecting to another application requires INJECT_EVENTS permission\n" +
        "\tat com.android.server.input.InputManagerService.injectInputEventInternal(InputManagerService.java:704)\n" +
        "\tat com.android.server.input.InputManagerService.injectInputEvent(InputManagerService.java:678)\n" +
        "\tat android.hardware.input.IInputManager$Stub.onTransact(IInputManager.java:512)";

    private static async Task<int> Input(ShellInvocation i, CancellationToken ct)
    {
        var args = i.Args.Skip(1).ToList();
        if (args.Count > 0 && args[0] is "touchscreen" or "keyboard") args.RemoveAt(0);
        var am = i.Android.Activities;
        if (i.Android.Faults.InputInjectionDenied && args.Count > 0 && args[0] is "tap" or "swipe" or "text" or "keyevent" or "press" or "roll")
        {
            // MIUI with "USB debugging (Security settings)" off: the shell user may not inject into other apps.
            await i.ErrLineAsync(InjectEventsDenied, ct).ConfigureAwait(false);
            return 1;
        }
        var screen = i.Android.Screen;
        if (args is ["keyevent", ..])
        {
            var keys = args.Skip(1).Where(k => k != "--longpress").Select(k => KeyCodeNames.TryGetValue(k, out var n) ? n : k.StartsWith("KEYCODE_") ? k : "KEYCODE_" + k.ToUpperInvariant()).ToList();
            if (keys.All(k => k is "KEYCODE_WAKEUP" or "KEYCODE_POWER" or "KEYCODE_SLEEP"))
            {
                foreach (var key in keys)
                {
                    if (key == "KEYCODE_WAKEUP" || key == "KEYCODE_POWER" && !screen.Awake) screen.Wake();
                    else screen.Sleep();
                }
                return 0;
            }
        }
        // Behind the keyguard, touches and keys reach SystemUI, not the app.
        if (screen.Locked || !screen.Awake) return 0;
        switch (args)
        {
            case ["tap", var xs, var ys] when float.TryParse(xs, System.Globalization.CultureInfo.InvariantCulture, out var x) && float.TryParse(ys, System.Globalization.CultureInfo.InvariantCulture, out var y):
                await am.DispatchAsync(app => app.OnTapAsync((int)x, (int)y, ct), ct).ConfigureAwait(false);
                return 0;
            case ["swipe", var a, var b, var c, var d, ..] when new[] { a, b, c, d }.All(v => int.TryParse(v, out _)):
                var ms = args.Count > 5 && int.TryParse(args[5], out var m) ? m : 300;
                await am.DispatchAsync(app => app.OnSwipeAsync(int.Parse(a), int.Parse(b), int.Parse(c), int.Parse(d), ms, ct), ct).ConfigureAwait(false);
                return 0;
            case ["text", var text]:
                if (text.Any(ch => ch > 0x7E || (ch < 0x20 && ch != '\n')))
                {
                    // KeyCharacterMap.VIRTUAL_KEYBOARD has no events for non-ASCII, and Input.sendText does not check for null.
                    await i.ErrLineAsync("Exception occurred while executing 'text':\njava.lang.NullPointerException: Attempt to get length of null array\n\tat com.android.server.input.InputShellCommand.sendText(InputShellCommand.java:268)", ct).ConfigureAwait(false);
                    return 255;
                }
                var typed = text.Replace("%s", " ");
                await am.DispatchAsync(app => app.OnTextInputAsync(typed, ct), ct).ConfigureAwait(false);
                return 0;
            case ["keyevent", ..] when args.Count > 1:
                foreach (var raw in args.Skip(1).Where(k => k != "--longpress"))
                {
                    var key = KeyCodeNames.TryGetValue(raw, out var named) ? named : raw.StartsWith("KEYCODE_") ? raw : "KEYCODE_" + raw.ToUpperInvariant();
                    if (key == "KEYCODE_HOME") { am.MoveForegroundToBack(); continue; }
                    await am.DispatchAsync(async app =>
                    {
                        if (!await app.OnKeyEventAsync(key, ct).ConfigureAwait(false) && key == "KEYCODE_BACK") am.MoveForegroundToBack();
                    }, ct).ConfigureAwait(false);
                }
                return 0;
            default:
                await i.ErrLineAsync($"Error: Unknown command: {args.FirstOrDefault()}\nUsage: input [<source>] <command> [<arg>...]\n\nThe commands and default sources are:\n      text <string> (Default: touchscreen)\n      keyevent [--longpress] <key code number or name> ... (Default: keyboard)\n      tap <x> <y> (Default: touchscreen)\n      swipe <x1> <y1> <x2> <y2> [duration(ms)] (Default: touchscreen)", ct).ConfigureAwait(false);
                return 1;
        }
    }

    private static readonly Dictionary<string, int> SystemProcesses = new() { ["init"] = 1, ["zygote64"] = 612, ["zygote"] = 613, ["adbd"] = 704, ["system_server"] = 1187 };

    private static async Task<int> Pidof(ShellInvocation i, CancellationToken ct)
    {
        var pids = new List<int>();
        foreach (var name in i.Args.Skip(1))
        {
            if (SystemProcesses.TryGetValue(name, out var sys)) pids.Add(sys);
            else if (i.Android.Activities.GetRunning(name) is { } r) pids.Add(r.Pid);
        }
        if (pids.Count == 0) return 1;
        await i.OutLineAsync(string.Join(' ', pids), ct).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// `service call iphonesubinfo 1 [s16 PKG]`: getDeviceId, the IMEI. From Android 10 only privileged callers get it
    /// (READ_PRIVILEGED_PHONE_STATE): the shell user receives a SecurityException parcel, root the IMEI.
    /// </summary>
    private static async Task<int> Service(ShellInvocation i, CancellationToken ct)
    {
        var args = i.Args.Skip(1).ToList();
        if (args is not ["call", "iphonesubinfo", "1", ..])
        {
            await i.ErrLineAsync(args is ["call", var name, ..] ? $"service: Service {name} does not exist" : "Usage: service [-h|-?]\n       service list\n       service check SERVICE\n       service call SERVICE CODE [i32 N | i64 N | f N | d N | s16 STR | null | fd f | nfd n | afd f ] ...", ct).ConfigureAwait(false);
            return args is ["call", ..] ? 0 : 1;
        }
        var reply = i.Session.IsRoot || i.Android.Profile.Sdk < 29
            ? ParcelTextFormatter.StringReply(i.Android.Imei)
            : ParcelTextFormatter.ExceptionReply(-1, "getDeviceId: The user 2000 does not meet the requirements to access device identifiers.");
        await i.OutLineAsync(ParcelTextFormatter.Format(reply), ct).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> Ps(ShellInvocation i, CancellationToken ct)
    {
        var sb = new StringBuilder("USER            PID   PPID     VSZ    RSS WCHAN            ADDR S NAME                       \n");
        foreach (var (name, pid) in SystemProcesses) sb.Append($"root          {pid,5}      1 4420932  31708 0                   0 S {name}\n");
        foreach (var pkg in i.Android.Packages.All)
        {
            if (i.Android.Activities.GetRunning(pkg.PackageName) is { } r) sb.Append($"u0_a{pkg.Uid - 10000,-9} {r.Pid,5}    612 5912832 112344 0                   0 S {pkg.PackageName}\n");
        }
        await i.OutAsync(sb.ToString(), ct).ConfigureAwait(false);
        return 0;
    }
}
