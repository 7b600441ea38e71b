using System.Globalization;
using Harness.Adb.Parsing;
using Harness.Adb.Protocol;

namespace Harness.Adb;

public sealed partial class AdbClient
{
    // ---------------------------------------------------------------- packages

    /// <summary>
    /// Installs (or replaces, -r) an APK. With the `cmd` feature the bytes stream straight into
    /// `cmd package install -S SIZE`; otherwise the APK is pushed to /data/local/tmp and `pm install` runs on it.
    /// </summary>
    public async Task InstallAsync(string serial, string localApkPath, CancellationToken cancellationToken = default)
    {
        var features = await GetFeaturesAsync(serial, cancellationToken).ConfigureAwait(false);
        await using var apk = File.OpenRead(localApkPath);
        if (features.Contains("cmd"))
        {
            var output = await ExecAsync(serial, $"cmd package install -r -S {apk.Length}", apk, cancellationToken, Options.TransferTimeout).ConfigureAwait(false);
            EnsurePackageSuccess("install " + Path.GetFileName(localApkPath), HostProtocol.Encoding.GetString(output));
            return;
        }
        var remote = "/data/local/tmp/" + Path.GetFileName(localApkPath);
        await PushAsync(serial, apk, remote, DefaultFileMode, null, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await ShellAsync(serial, ShellQuote.Join("pm", "install", "-r", remote), cancellationToken, Options.TransferTimeout).ConfigureAwait(false);
            EnsurePackageSuccess("install " + Path.GetFileName(localApkPath), result.Stdout + result.Stderr);
        }
        finally
        {
            await ShellAsync(serial, ShellQuote.Join("rm", "-f", remote), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Installs through push + `pm install` even when `cmd` is available (what old devices need).</summary>
    public async Task InstallWithPmAsync(string serial, string localApkPath, CancellationToken cancellationToken = default)
    {
        var remote = "/data/local/tmp/" + Path.GetFileName(localApkPath);
        await PushFileAsync(serial, localApkPath, remote, DefaultFileMode, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await ShellAsync(serial, ShellQuote.Join("pm", "install", "-r", remote), cancellationToken, Options.TransferTimeout).ConfigureAwait(false);
            EnsurePackageSuccess("pm install " + remote, result.Stdout + result.Stderr);
        }
        finally
        {
            await ShellAsync(serial, ShellQuote.Join("rm", "-f", remote), CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task UninstallAsync(string serial, string packageName, CancellationToken cancellationToken = default)
    {
        var result = await ShellAsync(serial, ShellQuote.Join("pm", "uninstall", packageName), cancellationToken).ConfigureAwait(false);
        EnsurePackageSuccess("uninstall " + packageName, result.Stdout + result.Stderr);
    }

    public async Task<IReadOnlyList<string>> ListPackagesAsync(string serial, bool thirdPartyOnly = false, CancellationToken cancellationToken = default)
    {
        var command = thirdPartyOnly ? "pm list packages -3" : "pm list packages";
        var result = await ShellAsync(serial, command, cancellationToken).ConfigureAwait(false);
        return PackageListParser.Parse(result.EnsureSuccess(command).Stdout);
    }

    /// <summary>versionName / versionCode from `dumpsys package`, or null when the package is not installed.</summary>
    public async Task<PackageVersion?> GetPackageVersionAsync(string serial, string packageName, CancellationToken cancellationToken = default)
    {
        var result = await ShellAsync(serial, ShellQuote.Join("dumpsys", "package", packageName), cancellationToken).ConfigureAwait(false);
        return PackageVersionParser.Parse(packageName, result.Stdout);
    }

    private static void EnsurePackageSuccess(string operation, string output)
    {
        if (!output.TrimStart().StartsWith("Success", StringComparison.Ordinal) && !output.Contains("\nSuccess", StringComparison.Ordinal))
            throw new PackageInstallException(operation, output.Length == 0 ? "(no output)" : output);
    }

    // ---------------------------------------------------------------- forward (host listener → device)

    /// <summary>`adb forward LOCAL REMOTE` (e.g. tcp:0, tcp:8080). Returns the port the server chose for tcp:0, else null.</summary>
    public Task<int?> CreateForwardAsync(string serial, string local, string remote, bool noRebind = false, CancellationToken cancellationToken = default) =>
        RunAsync($"forward {local} {remote}", Options.CommandTimeout, async token =>
        {
            await using var connection = await OpenConnectionAsync(token).ConfigureAwait(false);
            connection.Serial = serial;
            var request = $"host-serial:{serial}:forward:{(noRebind ? "norebind:" : "")}{local};{remote}";
            // The first OKAY accepts the request, the second says the listener is installed.
            await connection.SendRequestAsync(request, token).ConfigureAwait(false);
            await connection.ReadStatusAsync(request, token).ConfigureAwait(false);
            return local == "tcp:0" ? ParsePort(await connection.ReadHex4StringAsync(token).ConfigureAwait(false)) : (int?)null;
        }, cancellationToken);

    public async Task<IReadOnlyList<ForwardEntry>> ListForwardsAsync(string serial, CancellationToken cancellationToken = default) =>
        ForwardListParser.Parse(await QueryHostAsync($"host-serial:{serial}:list-forward", cancellationToken, serial).ConfigureAwait(false));

    public Task RemoveForwardAsync(string serial, string local, CancellationToken cancellationToken = default) =>
        HostDoubleOkayAsync(serial, $"host-serial:{serial}:killforward:{local}", cancellationToken);

    public Task RemoveAllForwardsAsync(string serial, CancellationToken cancellationToken = default) =>
        HostDoubleOkayAsync(serial, $"host-serial:{serial}:killforward-all", cancellationToken);

    private Task HostDoubleOkayAsync(string serial, string request, CancellationToken cancellationToken) =>
        RunAsync(request, Options.CommandTimeout, async token =>
        {
            await using var connection = await OpenConnectionAsync(token).ConfigureAwait(false);
            connection.Serial = serial;
            await connection.SendRequestAsync(request, token).ConfigureAwait(false);
            await connection.ReadStatusAsync(request, token).ConfigureAwait(false);
        }, cancellationToken);

    // ---------------------------------------------------------------- reverse (device listener → host)

    /// <summary>
    /// `adb reverse REMOTE LOCAL`: connections to the device's REMOTE (e.g. tcp:8888) reach LOCAL on this host.
    /// Returns the device port chosen for tcp:0, else null.
    /// </summary>
    public Task<int?> CreateReverseAsync(string serial, string remote, string local, bool noRebind = false, CancellationToken cancellationToken = default) =>
        RunAsync($"reverse {remote} {local}", Options.CommandTimeout, async token =>
        {
            var service = $"reverse:forward:{(noRebind ? "norebind:" : "")}{remote};{local}";
            await using var connection = await OpenDeviceServiceAsync(serial, service, token).ConfigureAwait(false);
            // OpenDeviceServiceAsync read the server's stream-open OKAY; adbd then writes its own status.
            await connection.ReadStatusAsync(service, token).ConfigureAwait(false);
            return remote == "tcp:0" ? ParsePort(await connection.ReadHex4StringAsync(token).ConfigureAwait(false)) : (int?)null;
        }, cancellationToken);

    /// <summary>Reverse forwards on the device: entries are (`(reverse)`, remote, local).</summary>
    public Task<IReadOnlyList<ForwardEntry>> ListReversesAsync(string serial, CancellationToken cancellationToken = default) =>
        RunAsync($"reverse --list", Options.CommandTimeout, async token =>
        {
            await using var connection = await OpenDeviceServiceAsync(serial, "reverse:list-forward", token).ConfigureAwait(false);
            return ForwardListParser.Parse(await connection.ReadHex4StringAsync(token).ConfigureAwait(false));
        }, cancellationToken);

    public Task RemoveReverseAsync(string serial, string remote, CancellationToken cancellationToken = default) =>
        DeviceDoubleOkayAsync(serial, $"reverse:killforward:{remote}", cancellationToken);

    public Task RemoveAllReversesAsync(string serial, CancellationToken cancellationToken = default) =>
        DeviceDoubleOkayAsync(serial, "reverse:killforward-all", cancellationToken);

    private Task DeviceDoubleOkayAsync(string serial, string service, CancellationToken cancellationToken) =>
        RunAsync(service, Options.CommandTimeout, async token =>
        {
            await using var connection = await OpenDeviceServiceAsync(serial, service, token).ConfigureAwait(false);
            await connection.ReadStatusAsync(service, token).ConfigureAwait(false);
        }, cancellationToken);

    private static int ParsePort(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new AdbProtocolException($"expected a port number, got \"{text}\"");

    // ---------------------------------------------------------------- properties and settings

    public async Task<IReadOnlyDictionary<string, string>> GetPropertiesAsync(string serial, CancellationToken cancellationToken = default)
    {
        var result = await ShellAsync(serial, "getprop", cancellationToken).ConfigureAwait(false);
        return GetPropParser.Parse(result.EnsureSuccess("getprop").Stdout);
    }

    /// <summary>One property; empty string when unset (as getprop prints it).</summary>
    public async Task<string> GetPropertyAsync(string serial, string name, CancellationToken cancellationToken = default)
    {
        var command = ShellQuote.Join("getprop", name);
        var result = await ShellAsync(serial, command, cancellationToken).ConfigureAwait(false);
        return result.EnsureSuccess(command).Stdout.TrimEnd('\r', '\n');
    }

    /// <summary>`settings get`; null when the key is unset.</summary>
    public async Task<string?> GetSettingAsync(string serial, SettingsNamespace table, string key, CancellationToken cancellationToken = default)
    {
        var command = ShellQuote.Join("settings", "get", SettingsOutputParser.NamespaceName(table), key);
        var result = await ShellAsync(serial, command, cancellationToken).ConfigureAwait(false);
        return SettingsOutputParser.ParseGet(result.EnsureSuccess(command).Stdout);
    }

    public async Task PutSettingAsync(string serial, SettingsNamespace table, string key, string value, CancellationToken cancellationToken = default)
    {
        var command = ShellQuote.Join("settings", "put", SettingsOutputParser.NamespaceName(table), key, value);
        var result = await ShellAsync(serial, command, cancellationToken).ConfigureAwait(false);
        if (!SettingsOutputParser.IsSilentSuccess(result.EnsureSuccess(command).Stdout))
            throw new AdbCommandFailedException(command, result.Stdout.Trim());
    }

    public async Task DeleteSettingAsync(string serial, SettingsNamespace table, string key, CancellationToken cancellationToken = default)
    {
        var command = ShellQuote.Join("settings", "delete", SettingsOutputParser.NamespaceName(table), key);
        var result = await ShellAsync(serial, command, cancellationToken).ConfigureAwait(false);
        if (!SettingsOutputParser.IsSilentSuccess(result.EnsureSuccess(command).Stdout))
            throw new AdbCommandFailedException(command, result.Stdout.Trim());
    }
}
