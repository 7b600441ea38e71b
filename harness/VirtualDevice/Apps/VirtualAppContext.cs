using System.Text;
using System.Text.Json;
using Harness.VirtualDevice.Android;

namespace Harness.VirtualDevice.Apps;

/// <summary>What a running app gets from the phone: its package, its private data, the log, the locale, and the phone itself.</summary>
public sealed class VirtualAppContext(VirtualAndroid android, InstalledPackage package, int pid)
{
    public VirtualAndroid Android { get; } = android;
    public InstalledPackage Package { get; } = package;
    public string PackageName => Package.Manifest.Package;
    public JsonElement? Behaviour => Package.Manifest.Behaviour;
    public int Pid { get; } = pid;
    /// <summary>Per-app Linux uid (10000 + n), as /proc/net/tcp shows.</summary>
    public int Uid => Package.Uid;
    public string DataDirectory => "/data/data/" + PackageName;

    /// <summary>BCP-47 locale of the phone (persist.sys.locale), e.g. "en-US" or "es-ES".</summary>
    public string Locale => Android.GetProperty("persist.sys.locale") is { Length: > 0 } l ? l : "en-US";
    public string Language => Locale.Split('-')[0];
    public int ScreenWidth => Android.Profile.ScreenWidth;
    public int ScreenHeight => Android.Profile.ScreenHeight;

    public void Log(char priority, string tag, string message) => Android.Log.Write(Pid, priority, tag, message);

    /// <summary>Reads a file from the app's private data (survives force-stop; wiped by pm clear and uninstall).</summary>
    public byte[]? ReadDataFile(string name)
    {
        var path = $"{DataDirectory}/files/{name}";
        return Android.FileSystem.IsFile(path) ? Android.FileSystem.ReadFile(path, asRoot: true) : null;
    }

    public string? ReadDataText(string name) => ReadDataFile(name) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    public void WriteDataFile(string name, byte[] content)
    {
        Android.FileSystem.CreateDirectory($"{DataDirectory}/files", parents: true, asRoot: true);
        Android.FileSystem.WriteFile($"{DataDirectory}/files/{name}", content, asRoot: true, permissions: 0x180);
    }

    public void WriteDataText(string name, string text) => WriteDataFile(name, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Starts <paramref name="package"/>'s activity for a result: it comes to the front, and when it finishes this app
    /// is brought back and gets <see cref="VirtualApp.OnActivityResultAsync"/>. Only from the app's own callbacks
    /// (they run inside the activity manager's input dispatch).
    /// </summary>
    public Task<bool> StartActivityForResultAsync(string package, AppIntent intent, int requestCode, CancellationToken ct) =>
        Android.Activities.StartForResultFromAppAsync(PackageName, package, intent, requestCode, ct);

    /// <summary>Finishes this app's activity (its process keeps running), handing <paramref name="result"/> to the app that started it, if any.</summary>
    public Task FinishAsync(ActivityResult result, CancellationToken ct) => Android.Activities.FinishFromAppAsync(PackageName, result, ct);

    /// <summary>Connects to 127.0.0.1:port on the phone (reaches the host through `adb reverse`).</summary>
    public Task<Stream> ConnectLocalTcpAsync(int port, CancellationToken ct) => Android.ConnectLocalTcpAsync(port, ct);
}
