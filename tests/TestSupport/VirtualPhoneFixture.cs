// TestSupport had no NUnit using; a global one here lets PrivateAdbServer/RequiredTool compile too.
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;

namespace Harness.TestSupport;

/// <summary>
/// A virtual phone attached to a private adb server: started, `adb connect`ed, and waited for until `adb devices`
/// shows it as `device`. DisposeAsync disconnects it and stops the phone.
/// </summary>
public sealed class VirtualPhoneFixture : IAsyncDisposable
{
    private readonly PrivateAdbServer _adb;

    private VirtualPhoneFixture(PrivateAdbServer adb, VirtualPhone phone)
    {
        _adb = adb;
        Phone = phone;
    }

    public VirtualPhone Phone { get; }
    public string Serial => Phone.Serial;

    public static async Task<VirtualPhoneFixture> StartAsync(PrivateAdbServer adb, string model = "Redmi Note 8", CancellationToken ct = default)
    {
        var profile = PhoneProfile.FindBuiltIn(model) ?? throw new ArgumentException($"no built-in phone profile '{model}'", nameof(model));
        return await StartAsync(adb, profile, new VirtualPhoneOptions(), ct).ConfigureAwait(false);
    }

    public static async Task<VirtualPhoneFixture> StartAsync(PrivateAdbServer adb, PhoneProfile profile, VirtualPhoneOptions options, CancellationToken ct = default)
    {
        var phone = await VirtualPhone.StartAsync(profile, options, ct).ConfigureAwait(false);
        var fixture = new VirtualPhoneFixture(adb, phone);
        try
        {
            var (exit, stdout, stderr) = await adb.RunAdbAsync(ct, "connect", phone.Serial).ConfigureAwait(false);
            if (exit != 0 || !stdout.Contains("connected to", StringComparison.Ordinal) || stdout.Contains("failed", StringComparison.Ordinal))
                throw new InvalidOperationException($"`adb connect {phone.Serial}` failed ({exit}): {stdout}{stderr}");
            await fixture.WaitForStateAsync("device", ct).ConfigureAwait(false);
            return fixture;
        }
        catch
        {
            await fixture.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits (up to 30 s) until `adb devices` lists the phone in the given state.</summary>
    public async Task WaitForStateAsync(string state, CancellationToken ct = default)
    {
        // `adb wait-for-device` does not know TCP serials in every state, so poll the listing the way a user would.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var last = "";
        while (true)
        {
            var (_, stdout, _) = await _adb.RunAdbAsync(timeout.Token, "devices").ConfigureAwait(false);
            last = stdout;
            if (stdout.Split('\n').Any(line => line.TrimEnd() == $"{Serial}\t{state}")) return;
            try { await Task.Delay(100, timeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"{Serial} did not reach state '{state}' within 30 s; last `adb devices`:\n{last}");
            }
        }
    }

    /// <summary>`adb install` of a browser version's virtual APK, as a QA engineer installs a downloaded build.</summary>
    public Task InstallBrowserAsync(Harness.VirtualDevice.Browsers.BrowserVersion version, CancellationToken ct = default) =>
        InstallApkAsync(version.ApkFileName, version.BuildApk(), ct);

    /// <summary>
    /// ADB Keyboard as a lab installs it: `adb install ADBKeyboard.apk`, then `ime enable` (installing an input method
    /// does not enable it). The harness selects it only while it types.
    /// </summary>
    public async Task InstallAdbKeyboardAsync(CancellationToken ct = default)
    {
        await InstallApkAsync("ADBKeyboard.apk", Harness.VirtualDevice.Apps.VirtualApk.Build(Harness.VirtualDevice.Apps.AdbKeyboardApp.Manifest()), ct).ConfigureAwait(false);
        var (exit, stdout, stderr) = await _adb.RunAdbAsync(ct, "-s", Serial, "shell", "ime", "enable", Harness.VirtualDevice.Apps.AdbKeyboardApp.ImeId).ConfigureAwait(false);
        if (exit != 0 || !stdout.Contains("enabled", StringComparison.Ordinal))
            throw new InvalidOperationException($"`ime enable` on {Serial} failed ({exit}): {stdout}{stderr}");
    }

    private async Task InstallApkAsync(string fileName, byte[] bytes, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("harness-apk-");
        try
        {
            var apk = Path.Combine(folder.FullName, fileName);
            await File.WriteAllBytesAsync(apk, bytes, ct).ConfigureAwait(false);
            var (exit, stdout, stderr) = await _adb.RunAdbAsync(ct, "-s", Serial, "install", apk).ConfigureAwait(false);
            if (exit != 0 || !stdout.Contains("Success", StringComparison.Ordinal))
                throw new InvalidOperationException($"`adb install {fileName}` on {Serial} failed ({exit}): {stdout}{stderr}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await _adb.RunAdbAsync("disconnect", Phone.Serial).ConfigureAwait(false); }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            TestContext.Progress.WriteLine($"could not disconnect {Phone.Serial}: {e.Message}");
        }
        await Phone.DisposeAsync().ConfigureAwait(false);
    }
}
