using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Android;

/// <summary>Processes and the foreground task: am start / force-stop, pidof, and where input events go.</summary>
public sealed class ActivityManagerService(VirtualAndroid android)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, RunningApp> _running = new(StringComparer.Ordinal);
    /// <summary>Callee package → (caller package, request code) for activities started for a result.</summary>
    private readonly Dictionary<string, (string Caller, int RequestCode)> _resultTargets = new(StringComparer.Ordinal);
    private string? _foreground;
    private int _nextPid = 12_000;

    /// <summary>Launcher package shown when no app is in front.</summary>
    public string LauncherPackage => android.Profile.Model == "Mi A1" ? "com.google.android.apps.nexuslauncher" : "com.miui.home";

    public RunningApp? Foreground
    {
        get { lock (_running) return _foreground != null && _running.TryGetValue(_foreground, out var r) ? r : null; }
    }

    public RunningApp? GetRunning(string packageName)
    {
        lock (_running) return _running.TryGetValue(packageName, out var r) ? r : null;
    }

    public async Task<AppStartResult> StartAsync(InstalledPackage package, AppIntent intent, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // A new task started from outside (am start, monkey) is nobody's result.
            lock (_running) _resultTargets.Remove(package.PackageName);
            return await StartUnderGateAsync(package, intent, ct).ConfigureAwait(false);
        }
        finally { _gate.Release(); }
    }

    /// <summary>The caller holds <see cref="_gate"/> (am start, or an app callback inside <see cref="DispatchAsync"/>).</summary>
    private async Task<AppStartResult> StartUnderGateAsync(InstalledPackage package, AppIntent intent, CancellationToken ct)
    {
        var cold = false;
        RunningApp? running;
        lock (_running) _running.TryGetValue(package.PackageName, out running);
        var inFront = running != null && _foreground == package.PackageName;
        if (running == null)
        {
            var kind = android.Packages.Catalog.Find(package.Manifest.Kind) ?? throw new InvalidOperationException($"no app kind {package.Manifest.Kind}");
            var pid = Interlocked.Increment(ref _nextPid);
            var app = kind.Create(new VirtualAppContext(android, package, pid));
            running = new RunningApp(app, pid);
            lock (_running) _running[package.PackageName] = running;
            cold = true;
            android.Log.Write(1000, 'I', "ActivityManager", $"Start proc {pid}:{package.PackageName}/u0a{package.Uid - 10000} for activity {package.LauncherComponent}");
        }
        lock (_running) _foreground = package.PackageName;
        await running.App.OnLaunchAsync(intent, ct).ConfigureAwait(false);
        if (cold && android.Faults.PermissionPromptOnLaunch == package.PackageName
            && android.Packages.Get(SystemApps.PermissionControllerApp.PackageId) is { } controller)
        {
            // The app asks for a runtime permission as it starts: the system's prompt covers it until answered.
            android.Faults.PermissionPromptOnLaunch = null;
            lock (_running) _resultTargets[controller.PackageName] = (package.PackageName, 0);
            await StartUnderGateAsync(controller, new AppIntent(SystemApps.PermissionControllerApp.ActionRequestPermissions, null, null,
                new Dictionary<string, string> { [SystemApps.PermissionControllerApp.ExtraRequester] = package.PackageName }), ct).ConfigureAwait(false);
        }
        return new AppStartResult(running, cold, inFront);
    }

    /// <summary>From an app callback (the gate is held by the dispatch that runs it): start another app's activity for a result.</summary>
    internal async Task<bool> StartForResultFromAppAsync(string caller, string packageName, AppIntent intent, int requestCode, CancellationToken ct)
    {
        var package = android.Packages.Get(packageName);
        if (package == null || !android.Packages.HasApp(package)) return false;
        lock (_running) _resultTargets[packageName] = (caller, requestCode);
        await StartUnderGateAsync(package, intent, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>From an app callback: the app's activity finishes; the app that started it for a result comes back and gets the result.</summary>
    internal async Task FinishFromAppAsync(string packageName, ActivityResult result, CancellationToken ct)
    {
        RunningApp? caller = null;
        int requestCode = 0;
        lock (_running)
        {
            if (_foreground == packageName) _foreground = null;
            if (_resultTargets.Remove(packageName, out var target) && _running.TryGetValue(target.Caller, out var running))
            {
                caller = running;
                requestCode = target.RequestCode;
                _foreground = target.Caller;
            }
        }
        if (caller != null) await caller.App.OnActivityResultAsync(requestCode, result, ct).ConfigureAwait(false);
    }

    public async Task ForceStopAsync(string packageName, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            RunningApp? running;
            lock (_running)
            {
                _running.Remove(packageName, out running);
                if (_foreground == packageName) _foreground = null;
                _resultTargets.Remove(packageName);
                foreach (var callee in _resultTargets.Where(t => t.Value.Caller == packageName).Select(t => t.Key).ToList()) _resultTargets.Remove(callee);
            }
            if (running != null)
            {
                await running.App.OnStopAsync(ct).ConfigureAwait(false);
                android.Log.Write(1000, 'I', "ActivityManager", $"Force stopping {packageName} appid={android.Packages.Get(packageName)?.Uid} user=0: from pid {running.Pid}");
            }
        }
        finally { _gate.Release(); }
    }

    /// <summary>Runs an input action on the foreground app, serialised with lifecycle changes. False when no app is in front.</summary>
    public async Task<bool> DispatchAsync(Func<VirtualApp, Task> action, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var front = Foreground;
            if (front == null) return false;
            await action(front.App).ConfigureAwait(false);
            return true;
        }
        finally { _gate.Release(); }
    }

    /// <summary>KEYCODE_HOME, or BACK not consumed by the app: the launcher comes to the front (the process keeps running).</summary>
    public void MoveForegroundToBack()
    {
        lock (_running) _foreground = null;
    }
}
