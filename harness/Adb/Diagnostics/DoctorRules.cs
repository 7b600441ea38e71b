namespace Harness.Adb.Diagnostics;

/// <summary>Judges <see cref="DeviceFacts"/>: pure, so every rule is unit-tested without a phone.</summary>
public static class DoctorRules
{
    /// <summary>Captures, APK pushes and evidence pulls need room; below this a run can fail half-way.</summary>
    public const long MinimumFreeBytes = 500L * 1024 * 1024;

    public static readonly IReadOnlyList<string> KnownBrowserPackages =
        ["com.mi.globalbrowser.mini", "com.mi.globalbrowser", "com.android.browser"];

    public static IReadOnlyList<DoctorProblem> FindProblems(DeviceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var problems = new List<DoctorProblem>();
        var adb = $"adb -s {facts.Serial}";
        if (facts.State != DeviceState.Device)
        {
            problems.Add(new DoctorProblem($"device is {facts.State.ToString().ToLowerInvariant()}, not ready",
                facts.State == DeviceState.Unauthorized ? "accept the USB debugging prompt on the phone" : $"reconnect it: adb disconnect {facts.Serial} && adb connect {facts.Serial}"));
            return problems;
        }
        if (!facts.BootCompleted)
            problems.Add(new DoctorProblem("the phone has not finished booting (sys.boot_completed != 1)", $"wait for boot: {adb} wait-for-device shell 'while [ \"$(getprop sys.boot_completed)\" != 1 ]; do sleep 1; done'"));
        if (facts.InputInjectionDenied)
            problems.Add(new DoctorProblem("the phone refuses input injection (`input` fails with SecurityException: INJECT_EVENTS), so no recipe can tap or type", InputInjectionDeniedException.Fix));
        if (facts.ScreenLocked)
            problems.Add(new DoctorProblem("the screen is locked (still locked after waking it and `wm dismiss-keyguard`: a PIN, pattern or password)", "unlock the phone and keep it unlocked during the run, or set Settings → Screen lock to None on a test phone"));
        if (facts.HttpProxy is { } proxy && proxy.Length > 0 && proxy != ":0")
            problems.Add(new DoctorProblem($"global http_proxy is still set to {proxy} (left over from an earlier run?)", $"{adb} shell settings put global http_proxy :0"));
        foreach (var reverse in facts.ReverseForwards)
            problems.Add(new DoctorProblem($"leftover reverse forward {reverse.Local} -> {reverse.Remote}", $"{adb} reverse --remove {reverse.Local}"));
        if (facts.Browsers.Count > 0 && facts.Browsers.All(b => !b.Installed))
            problems.Add(new DoctorProblem("none of the known browsers is installed (" + string.Join(", ", facts.Browsers.Select(b => b.PackageName)) + ")", $"{adb} install <browser.apk>"));
        if (facts.DataFreeBytes is { } free && free < MinimumFreeBytes)
            problems.Add(new DoctorProblem($"only {free / (1024 * 1024)} MiB free on /data (need {MinimumFreeBytes / (1024 * 1024)} MiB)", $"free space: {adb} shell pm trim-caches 999G, or uninstall unused apps"));
        if (facts.DataFreeBytes is null)
            problems.Add(new DoctorProblem("free storage on /data could not be read (`df /data` failed)", $"check the phone by hand: {adb} shell df /data"));
        return problems;
    }
}
