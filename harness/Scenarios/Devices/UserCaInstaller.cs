using System.Security.Cryptography.X509Certificates;
using Harness.Adb;
using Harness.Browsers;
using Harness.Core;

namespace Harness.Scenarios;

/// <summary>
/// Puts the proxy CA into the USER store of a phone without root the only way Android allows: the PEM is pushed to
/// shared storage and the Settings profile (scenarios/system/android-settings.yaml) installs it through the UI, as a
/// user would (no silent install exists without root; Android 11+ refuses CA certificates from the install intent).
/// Every result is read back from Trusted credentials → User. Apps trust it only when their network security config
/// allows user CAs, which is the coverage limit the session records.
/// </summary>
internal static class UserCaInstaller
{
    public const string DownloadDirectory = "/sdcard/Download";

    /// <summary>/sdcard/Download/harness-ca-&lt;subject_hash_old&gt;.crt: the name ties the file to the CA it holds.</summary>
    public static string PushedPath(string subjectHashOld) => $"{DownloadDirectory}/harness-ca-{subjectHashOld}.crt";

    /// <summary>The subject's common name, the line Trusted credentials shows under the organisation.</summary>
    public static string DisplayName(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    /// <summary>The options' profile, else the file at their path; a missing or wrong profile is bad input naming the file.</summary>
    public static BrowserProfile LoadProfile(BrowserProfile? profile, string? path)
    {
        if (profile is null)
        {
            if (string.IsNullOrEmpty(path)) throw new BadInputException("no Settings profile given (DeviceSessionOptions.SettingsProfilePath)", "(options)");
            if (!File.Exists(path)) throw new BadInputException($"no Settings profile at {Path.GetFullPath(path)}", path);
            profile = BrowserProfileLoader.LoadFile(path);
        }
        if (profile.Kind != ProfileKind.SystemApp)
            throw new BadInputException($"profile {profile.Id} is a {profile.Kind.ToName()} profile; the user CA needs a system-app profile of Settings", profile.SourceFile, field: "kind");
        return profile;
    }

    public static async Task PushAsync(AdbClient adb, string serial, string certificatePem, string remotePath, CancellationToken ct)
    {
        using var content = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(certificatePem.Replace("\r\n", "\n")));
        // 0644 regular file: Settings (another uid) must be able to read what the shell pushed.
        await adb.PushAsync(serial, content, remotePath, 0x81A4, cancellationToken: ct).ConfigureAwait(false);
    }

    public static async Task DeletePushedAsync(AdbClient adb, string serial, string remotePath, CancellationToken ct)
    {
        var command = ShellQuote.Join("rm", "-f", remotePath);
        (await adb.ShellAsync(serial, command, ct).ConfigureAwait(false)).EnsureSuccess(command);
    }

    /// <summary>Installs unless Trusted credentials already lists the CA; null when it is listed afterwards, else why not.</summary>
    /// <param name="stepFailed">Gets the failed step (with its screenshot and UI dump) when a recipe step did not hold.</param>
    public static async Task<string?> InstallAsync(DeviceClient device, BrowserProfile profile, BrowserDriverOptions driverOptions, ActionArguments arguments,
        Action<BrowserStepFailedException>? stepFailed, CancellationToken ct) =>
        await DriveAsync(device, profile, driverOptions, stepFailed, ct, async driver =>
        {
            if (await IsListedAsync(driver, arguments, ct).ConfigureAwait(false)) return null;
            await driver.LaunchAsync(ct).ConfigureAwait(false);
            await driver.RunAsync(BrowserAction.InstallUserCa, arguments, ct).ConfigureAwait(false);
            return await IsListedAsync(driver, arguments, ct).ConfigureAwait(false)
                ? null
                : $"Trusted credentials > User does not list \"{arguments.Certificate}\" after install-user-ca";
        }).ConfigureAwait(false);

    /// <summary>Removes the CA when Trusted credentials lists it; null when it is not listed afterwards, else why it still is.</summary>
    /// <param name="knownInstalled">The session read it back after installing: skip the first look (restore runs on a budget).</param>
    public static async Task<string?> RemoveAsync(DeviceClient device, BrowserProfile profile, BrowserDriverOptions driverOptions, ActionArguments arguments,
        bool knownInstalled, CancellationToken ct) =>
        await DriveAsync(device, profile, driverOptions, null, ct, async driver =>
        {
            if (!knownInstalled && !await IsListedAsync(driver, arguments, ct).ConfigureAwait(false)) return null;
            await driver.LaunchAsync(ct).ConfigureAwait(false);
            await driver.RunAsync(BrowserAction.RemoveUserCa, arguments, ct).ConfigureAwait(false);
            return await IsListedAsync(driver, arguments, ct).ConfigureAwait(false)
                ? $"Trusted credentials > User still lists \"{arguments.Certificate}\" after remove-user-ca"
                : null;
        }).ConfigureAwait(false);

    private static async Task<bool> IsListedAsync(BrowserDriver driver, ActionArguments arguments, CancellationToken ct)
    {
        await driver.LaunchAsync(ct).ConfigureAwait(false);
        return (await driver.RunAsync(BrowserAction.UserCaState, arguments, ct).ConfigureAwait(false)).State == true;
    }

    /// <summary>Runs <paramref name="work"/> with a driver on Settings; UI and phone problems become the returned reason. Settings and the picker are closed afterwards.</summary>
    private static async Task<string?> DriveAsync(DeviceClient device, BrowserProfile profile, BrowserDriverOptions driverOptions,
        Action<BrowserStepFailedException>? stepFailed, CancellationToken ct, Func<BrowserDriver, Task<string?>> work)
    {
        try
        {
            var driver = await BrowserDriver.AttachAsync(new DeviceClientUi(device), profile, driverOptions, ct).ConfigureAwait(false);
            return await work(driver).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BrowserStepFailedException or BrowserActionNotAvailableException or BrowserNotInstalledException
                                      or BrowserVersionNotSupportedException or AdbException or IOException or TimeoutException)
        {
            if (e is BrowserStepFailedException failed) stepFailed?.Invoke(failed);
            return e.Message;
        }
        finally
        {
            // Leave no Settings screen (or picker) in front of the browser the case launches next.
            foreach (var package in new[] { profile.Package, "com.android.documentsui" })
            {
                try
                {
                    await device.ForceStopAsync(package, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is AdbException or IOException or TimeoutException)
                {
                    // Best effort: a phone that is gone fails the next step on its own.
                }
            }
        }
    }
}
