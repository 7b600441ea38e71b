using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Android;

/// <summary>Processes and the foreground task: am start / force-stop, pidof, and where input events go.</summary>
public sealed class ActivityManagerService(VirtualAndroid android)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, RunningApp> _running = new(StringComparer.Ordinal);
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
            return new AppStartResult(running, cold, inFront);
        }
        finally { _gate.Release(); }
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
