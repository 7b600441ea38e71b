using Harness.Adb;
using Harness.Adb.Diagnostics;

namespace Harness.Scenarios;

/// <summary>
/// A phone ready to be driven: the screen woken and unlocked (a secure lock is refused with
/// <see cref="PhoneLockedException"/>, before any case runs), kept awake while plugged in, window, transition and
/// animator scales at 0 (a page that animates makes uiautomator answer "could not get idle state"), and Private DNS off. The settings as
/// found are kept in <see cref="Originals"/> (and the session marker) and put back by <see cref="RestoreAsync(AdbClient, string, IReadOnlyDictionary{string, string}, CancellationToken)"/>.
/// </summary>
public sealed class PhoneReadiness
{
    /// <summary>
    /// stay_on_while_plugged_in: 7 = on AC, USB and wireless power. private_dns_mode: Android 9+ resolves over
    /// DNS-over-TLS (TCP 853) when it is "opportunistic" (the default when unset) or "hostname", which sends every name
    /// an app looks up past the proxy; "off" keeps lookups on the network's plain resolver for the session.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> DrivenSettings = new Dictionary<string, string>
    {
        ["stay_on_while_plugged_in"] = "7",
        ["window_animation_scale"] = "0",
        ["transition_animation_scale"] = "0",
        ["animator_duration_scale"] = "0",
        [PrivateDnsMode] = "off",
    };

    public const string PrivateDnsMode = "private_dns_mode";

    /// <summary>How the device facts describe Private DNS for the session: "off for the session (was …), put back on restore".</summary>
    public string PrivateDnsFact =>
        $"off for the session (was {(Originals.TryGetValue(PrivateDnsMode, out var was) && was != Unset ? was : "unset: Android 9+ then uses opportunistic DNS-over-TLS")}), put back on restore";

    /// <summary>A setting that did not exist is kept as this value and deleted on restore.</summary>
    public const string Unset = "\u0000unset";

    private PhoneReadiness(IReadOnlyDictionary<string, string> originals) => Originals = originals;

    /// <summary>The global settings as found (key → value, or <see cref="Unset"/>).</summary>
    public IReadOnlyDictionary<string, string> Originals { get; }

    public static async Task<PhoneReadiness> PrepareAsync(AdbClient adb, string serial, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(adb);
        await ScreenLockProbe.WakeAndUnlockAsync(adb, serial, ct).ConfigureAwait(false);
        if (await ScreenLockProbe.IsLockedAsync(adb, serial, ct).ConfigureAwait(false)) throw new PhoneLockedException(serial);
        var originals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in DrivenSettings.Keys)
        {
            var value = await adb.GetSettingAsync(serial, SettingsNamespace.Global, key, ct).ConfigureAwait(false);
            originals[key] = value is null || value == "null" ? Unset : value;
        }
        var readiness = new PhoneReadiness(originals);
        foreach (var (key, value) in DrivenSettings)
            await adb.PutSettingAsync(serial, SettingsNamespace.Global, key, value, ct).ConfigureAwait(false);
        return readiness;
    }

    public Task RestoreAsync(AdbClient adb, string serial, CancellationToken ct) => RestoreAsync(adb, serial, Originals, ct);

    /// <summary>Puts the settings back as found (also from a killed run's marker).</summary>
    public static async Task RestoreAsync(AdbClient adb, string serial, IReadOnlyDictionary<string, string> originals, CancellationToken ct)
    {
        foreach (var (key, value) in originals)
        {
            if (value == Unset) await adb.DeleteSettingAsync(serial, SettingsNamespace.Global, key, ct).ConfigureAwait(false);
            else await adb.PutSettingAsync(serial, SettingsNamespace.Global, key, value, ct).ConfigureAwait(false);
        }
    }
}
