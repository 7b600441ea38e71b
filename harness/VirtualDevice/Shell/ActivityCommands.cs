using System.Text;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Shell;

/// <summary>am, monkey, and the activity/window dumps that say which app is in front.</summary>
internal static class ActivityCommands
{
    public static void Register(Dictionary<string, ShellCommand> c)
    {
        c["am"] = (i, ct) => Am(i, i.Args.Skip(1).ToList(), ct);
        c["monkey"] = Monkey;
    }

    internal static async Task<int> Am(ShellInvocation i, List<string> args, CancellationToken ct)
    {
        switch (args.FirstOrDefault())
        {
            case "start" or "start-activity":
                return await Start(i, args.Skip(1).ToList(), ct).ConfigureAwait(false);
            case "broadcast":
                return await ImeCommands.BroadcastAsync(i, args.Skip(1).ToList(), ct).ConfigureAwait(false);
            case "force-stop" or "kill" when args.Count > 1:
                await i.Android.Activities.ForceStopAsync(args[^1], ct).ConfigureAwait(false);
                return 0;
            default:
                await i.ErrLineAsync($"Unknown command: {args.FirstOrDefault()}", ct).ConfigureAwait(false);
                return 255;
        }
    }

    private static async Task<int> Start(ShellInvocation i, List<string> args, CancellationToken ct)
    {
        var wait = false;
        string? component = null, action = null, data = null, target = null;
        var extras = new Dictionary<string, string>();
        for (var a = 0; a < args.Count; a++)
        {
            switch (args[a])
            {
                case "-W": wait = true; break;
                case "-S": case "--activity-clear-task": case "--activity-new-task": case "--activity-clear-top": break;
                case "-n" when a + 1 < args.Count: component = args[++a]; break;
                case "-a" when a + 1 < args.Count: action = args[++a]; break;
                case "-d" when a + 1 < args.Count: data = args[++a]; break;
                case "-c" or "-f" or "--user" or "-t" when a + 1 < args.Count: a++; break;
                case "--es" or "-e" when a + 2 < args.Count: extras[args[a + 1]] = args[a + 2]; a += 2; break;
                case "--ez" or "--ei" when a + 2 < args.Count: extras[args[a + 1]] = args[a + 2]; a += 2; break;
                default: if (!args[a].StartsWith('-')) target = args[a]; break;
            }
        }
        var description = new StringBuilder("Intent { ");
        if (action != null) description.Append("act=").Append(action).Append(' ');
        if (data != null) description.Append("dat=").Append(data).Append(' ');
        var pm = i.Android.Packages;
        InstalledPackage? package;
        if (component != null)
        {
            var slash = component.IndexOf('/');
            var pkgName = slash > 0 ? component[..slash] : component;
            var activity = slash > 0 ? component[(slash + 1)..] : "";
            package = pm.Get(pkgName);
            var full = activity.StartsWith('.') ? pkgName + activity : activity;
            description.Append("cmp=").Append(component).Append(" }");
            await i.OutLineAsync($"Starting: {description}", ct).ConfigureAwait(false);
            if (package == null || !pm.HasApp(package) || full != package.LauncherActivityClass)
            {
                await i.ErrLineAsync($"Error type 3\nError: Activity class {{{pkgName}/{full}}} does not exist.", ct).ConfigureAwait(false);
                return 255;
            }
        }
        else
        {
            package = target != null ? pm.Get(target)
                : action != null && pm.ResolveAction(action) is { } handler ? handler
                : pm.All.FirstOrDefault(p => !p.IsSystem && data != null && action == AppIntent.ActionView);
            if (target != null) description.Append("pkg=").Append(target).Append(' ');
            description.Append("flg=0x10000000 }");
            if (package == null || !pm.HasApp(package) || action != null && !pm.CanHandle(package, action))
            {
                await i.OutLineAsync($"Starting: {description}", ct).ConfigureAwait(false);
                await i.ErrLineAsync($"Error: Activity not started, unable to resolve {description}", ct).ConfigureAwait(false);
                return 255;
            }
            await i.OutLineAsync($"Starting: {description}", ct).ConfigureAwait(false);
        }
        var intent = new AppIntent(action ?? AppIntent.ActionMain, data, package.LauncherActivity, extras);
        var result = await i.Android.Activities.StartAsync(package, intent, ct).ConfigureAwait(false);
        if (result.AlreadyInFront && data == null && intent.Action == AppIntent.ActionMain)
            await i.OutLineAsync("Warning: Activity not started, its current task has been brought to the front", ct).ConfigureAwait(false);
        if (wait)
        {
            var sb = new StringBuilder("Status: ok\n");
            if (i.Android.Profile.Sdk >= 29) sb.Append("LaunchState: ").Append(result.ColdStart ? "COLD" : result.AlreadyInFront ? "HOT" : "WARM").Append('\n');
            sb.Append("Activity: ").Append(package.LauncherComponent).Append('\n');
            if (i.Android.Profile.Sdk <= 28) sb.Append("ThisTime: ").Append(result.ColdStart ? 412 : 88).Append('\n');
            sb.Append("TotalTime: ").Append(result.ColdStart ? 412 : 88).Append('\n');
            sb.Append("WaitTime: ").Append(result.ColdStart ? 431 : 95).Append('\n');
            sb.Append("Complete\n");
            await i.OutAsync(sb.ToString(), ct).ConfigureAwait(false);
        }
        return 0;
    }

    private static async Task<int> Monkey(ShellInvocation i, CancellationToken ct)
    {
        string? pkgName = null;
        for (var a = 1; a < i.Args.Count; a++) if (i.Args[a] == "-p" && a + 1 < i.Args.Count) pkgName = i.Args[++a];
        var package = pkgName == null ? null : i.Android.Packages.Get(pkgName);
        if (package == null || !i.Android.Packages.HasApp(package))
        {
            await i.OutLineAsync("** No activities found to run, monkey aborted.", ct).ConfigureAwait(false);
            return 252;
        }
        await i.OutLineAsync($"  bash arg: -p\n  bash arg: {pkgName}\n  bash arg: -c\n  bash arg: android.intent.category.LAUNCHER\n  bash arg: 1\nargs: [-p, {pkgName}, -c, android.intent.category.LAUNCHER, 1]\n arg: \"-p\"\n arg: \"{pkgName}\"\n arg: \"-c\"\n arg: \"android.intent.category.LAUNCHER\"\n arg: \"1\"\ndata=\"{pkgName}\"\ndata=\"android.intent.category.LAUNCHER\"", ct).ConfigureAwait(false);
        await i.Android.Activities.StartAsync(package, AppIntent.Launcher(), ct).ConfigureAwait(false);
        await i.OutLineAsync("Events injected: 1\n## Network stats: elapsed time=23ms (0ms mobile, 0ms wifi, 23ms not connected)", ct).ConfigureAwait(false);
        return 0;
    }

    private static string RecordId(string package) => ((uint)package.GetHashCode() & 0xFFFFFFF).ToString("x7");

    internal static string DumpActivities(VirtualAndroid android)
    {
        var front = android.Activities.Foreground;
        var component = front != null ? $"{front.App.PackageName}/{front.App.CurrentActivity}" : $"{android.Activities.LauncherPackage}/.launcher.Launcher";
        var package = front?.App.PackageName ?? android.Activities.LauncherPackage;
        var record = $"ActivityRecord{{{RecordId(package)} u0 {component} t{(front?.Pid ?? 1000) % 1000}}}";
        return $$"""
            ACTIVITY MANAGER ACTIVITIES (dumpsys activity activities)
            Display #0 (activities from top to bottom):
              Stack #1: type=standard mode=fullscreen
                * TaskRecord{{{RecordId(package + "t")}} #{{(front?.Pid ?? 1000) % 1000}} A={{package}} U=0 StackId=1 sz=1}
                  Hist #0: {{record}}
                mResumedActivity: {{record}}
                mLastPausedActivity: null

              mFocusedApp={{record}}
              mFocusedStack=ActivityStack{{{RecordId(package + "s")}} stackId=1 type=standard mode=fullscreen visible=true}
             ResumedActivity: {{record}}

            """;
    }

    /// <summary>The lines of `dumpsys power` a driver reads: wakefulness and the stay-awake setting.</summary>
    internal static string DumpPower(VirtualAndroid android) => $"""
        POWER MANAGER (dumpsys power)

        Power Manager State:
          mDirty=0x0
          mWakefulness={(android.Screen.Awake ? "Awake" : "Asleep")}
          mWakefulnessChanging=false
          mIsPowered=true
          mPlugType=2
          mStayOn={(android.Settings.Get("global", "stay_on_while_plugged_in") is { } v && v != "0" ? "true" : "false")}

        """;

    internal static string DumpWindows(VirtualAndroid android)
    {
        var front = android.Activities.Foreground;
        var component = front != null ? $"{front.App.PackageName}/{(front.App.CurrentActivity.StartsWith('.') ? front.App.PackageName + front.App.CurrentActivity : front.App.CurrentActivity)}" : $"{android.Activities.LauncherPackage}/{android.Activities.LauncherPackage}.launcher.Launcher";
        var package = front?.App.PackageName ?? android.Activities.LauncherPackage;
        var focusedApp = "AppWindowToken{" + RecordId(package + "a") + " token=Token{" + RecordId(package + "k") + " ActivityRecord{" + RecordId(package) + " u0 " + component + "}}}";
        return $$"""
            WINDOW MANAGER WINDOWS (dumpsys window windows)
              Window #0 Window{{{RecordId(package + "w")}} u0 {{component}}}:
                mDisplayId=0 rootTaskId=1 mSession=Session{{{RecordId(package + "x")}} {{front?.Pid ?? 1000}}:u0a{{(android.Packages.Get(package)?.Uid ?? 10000) - 10000}}}
                mAttrs={(0,0)(fillxfill) sim={adjust=resize} ty=BASE_APPLICATION}

              mCurrentFocus=Window{{{RecordId(package + "w")}} u0 {{component}}}
              mFocusedApp={{focusedApp}}

            WINDOW MANAGER POLICY STATE (dumpsys window policy)
                mShowingDream=false mDreamingLockscreen={{(android.Screen.Locked ? "true" : "false")}} mDreamingSleepToken=null
                isStatusBarKeyguard={{(android.Screen.Locked ? "true" : "false")}}
                KeyguardServiceDelegate
                  showing={{(android.Screen.Locked ? "true" : "false")}}
                  inputRestricted={{(android.Screen.Locked && android.Screen.SecureLock ? "true" : "false")}}

            """;
    }
}
