using Harness.Adb.Parsing;

namespace Harness.Adb.Diagnostics;

/// <summary>Gathers <see cref="DeviceFacts"/> over ADB for `harness doctor`.</summary>
public static class DeviceDoctor
{
    public static async Task<DeviceFacts> GatherAsync(AdbClient client, string serial, CancellationToken cancellationToken = default)
    {
        var device = await client.GetDeviceAsync(serial, cancellationToken).ConfigureAwait(false);
        if (device.State != DeviceState.Device)
            return new DeviceFacts { Serial = serial, State = device.State };

        var properties = await client.GetPropertiesAsync(serial, cancellationToken).ConfigureAwait(false);
        string Prop(string key) => properties.TryGetValue(key, out var value) ? value : "";

        var suId = await client.ShellAsync(serial, "su -c id", cancellationToken).ConfigureAwait(false);
        var whichSu = await client.ShellAsync(serial, "which su", cancellationToken).ConfigureAwait(false);

        var browsers = new List<InstalledBrowser>();
        foreach (var package in DoctorRules.KnownBrowserPackages)
        {
            var version = await client.GetPackageVersionAsync(serial, package, cancellationToken).ConfigureAwait(false);
            browsers.Add(new InstalledBrowser(package, version is not null, version?.VersionName, version?.VersionCode));
        }

        var proxy = await client.GetSettingAsync(serial, SettingsNamespace.Global, "http_proxy", cancellationToken).ConfigureAwait(false);
        var reverses = await client.ListReversesAsync(serial, cancellationToken).ConfigureAwait(false);
        var df = await client.ShellAsync(serial, "df /data", cancellationToken).ConfigureAwait(false);
        var inputDenied = await ScreenLockProbe.InputInjectionDeniedAsync(client, serial, cancellationToken).ConfigureAwait(false);
        // Without input the phone cannot be woken: it is only locked if it says so.
        if (!inputDenied) await ScreenLockProbe.WakeAndUnlockAsync(client, serial, cancellationToken).ConfigureAwait(false);
        var locked = await ScreenLockProbe.IsLockedAsync(client, serial, cancellationToken).ConfigureAwait(false);
        var data = DiskFreeParser.Parse(df.Stdout).FirstOrDefault();

        return new DeviceFacts
        {
            Serial = serial,
            State = device.State,
            InputInjectionDenied = inputDenied,
            ScreenLocked = locked,
            Model = Prop("ro.product.model"),
            Manufacturer = Prop("ro.product.manufacturer"),
            AndroidRelease = Prop("ro.build.version.release"),
            Sdk = Prop("ro.build.version.sdk"),
            BootCompleted = Prop("sys.boot_completed") == "1",
            Rooted = suId.Stdout.Contains("uid=0", StringComparison.Ordinal),
            SuBinaryPresent = whichSu.ExitCode == 0 && whichSu.Stdout.Trim().Length > 0,
            Browsers = browsers,
            HttpProxy = proxy,
            ReverseForwards = reverses,
            DataFreeBytes = data?.AvailableBytes,
        };
    }
}
