using Harness.Adb;
using Harness.Adb.Ui;

namespace Harness.Browsers;

/// <summary>The <see cref="IDeviceUi"/> of a real (or virtual) phone reached through the adb server.</summary>
public sealed class DeviceClientUi : IDeviceUi
{
    private readonly DeviceClient _device;

    public DeviceClientUi(DeviceClient device) => _device = device ?? throw new ArgumentNullException(nameof(device));

    public Task<UiHierarchy> DumpAsync(CancellationToken cancellationToken) => _device.DumpScreenAsync(cancellationToken);

    public Task TapAsync(int x, int y, CancellationToken cancellationToken) => _device.TapAsync(x, y, cancellationToken);

    public Task SendTextAsync(string text, CancellationToken cancellationToken) => _device.SendTextAsync(text, cancellationToken);

    public Task KeyEventAsync(string keyCode, CancellationToken cancellationToken) => _device.KeyEventAsync(keyCode, cancellationToken);

    public Task<byte[]> ScreenshotPngAsync(CancellationToken cancellationToken) => _device.ScreenshotPngAsync(cancellationToken);

    public Task StartActivityAsync(string component, CancellationToken cancellationToken)
    {
        var slash = component.IndexOf('/');
        if (slash <= 0 || slash == component.Length - 1)
            throw new ArgumentException($"\"{component}\" is not a component name such as pkg/.Activity", nameof(component));
        return _device.StartAppAsync(component[..slash], component[(slash + 1)..], cancellationToken);
    }

    public Task StartActionAsync(string action, string package, CancellationToken cancellationToken) =>
        _device.StartActivityAsync(action, packageName: package, cancellationToken: cancellationToken);

    public Task ForceStopAsync(string package, CancellationToken cancellationToken) => _device.ForceStopAsync(package, cancellationToken);

    public async Task<string?> StartIntentAsync(string action, string? data, IReadOnlyDictionary<string, string> extras, string? package, CancellationToken cancellationToken)
    {
        var words = new List<string> { "am", "start", "-W", "-a", action };
        if (data is not null) words.AddRange(["-d", data]);
        foreach (var (key, value) in extras) words.AddRange(["--es", key, value]);
        if (package is not null) words.Add(package);
        // Every word is quoted for the phone's sh: a URL's & or ? and a query's spaces or quotes arrive as written.
        var command = ShellQuote.Join(words[0], words.Skip(1));
        var result = await _device.Client.ShellAsync(_device.Serial, command, cancellationToken).ConfigureAwait(false);
        var output = result.Stdout + result.Stderr;
        if (!result.Succeeded || output.Contains("Error:", StringComparison.Ordinal))
            throw new AdbCommandFailedException(command, output.Trim());
        return AmStartParser.ResolvedActivity(output);
    }

    public async Task<string?> GetPackageVersionNameAsync(string package, CancellationToken cancellationToken) =>
        (await _device.Client.GetPackageVersionAsync(_device.Serial, package, cancellationToken).ConfigureAwait(false))?.VersionName;

    public async Task<string?> ResolveLauncherActivityAsync(string package, CancellationToken cancellationToken)
    {
        var command = ShellQuote.Join("cmd", "package", "resolve-activity", "--brief", "-c", "android.intent.category.LAUNCHER", package);
        var result = await _device.Client.ShellAsync(_device.Serial, command, cancellationToken).ConfigureAwait(false);
        return LauncherActivityParser.Parse(result.Stdout);
    }

    public Task<string?> GetPropertyAsync(string name, CancellationToken cancellationToken) =>
        _device.Client.GetPropertyAsync(_device.Serial, name, cancellationToken)!;
}
