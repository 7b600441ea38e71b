using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Harness.Adb;
using Harness.Adb.Parsing;

namespace Harness.Scenarios;

/// <summary>
/// The identifiers an app on the phone sees, read as root: the IMEI (getDeviceId through `service call iphonesubinfo 1`,
/// which from Android 10 on answers only privileged callers) and each app's own ANDROID_ID (SSAID, Android 8+), which
/// system_server keeps in <see cref="SsaidFile"/>: text XML up to Android 11, Android's binary XML (ABX) from 12 on,
/// which is converted with the phone's own `abx2xml` where it has one and is otherwise reported as unreadable.
/// The OAID is not read: MIUI hands it to apps only through its id provider by reflection
/// (com.android.id.impl.IdProviderImpl), which no shell command reaches (not verified on a real phone).
/// </summary>
public static partial class AppIdentifiers
{
    public const string SsaidFile = "/data/system/users/0/settings_ssaid.xml";

    /// <summary>getDeviceId(callingPackage): transaction 1 of IPhoneSubInfo from Android 6 on.</summary>
    public const string ImeiCommand = "service call iphonesubinfo 1 s16 com.android.shell";

    public const string OaidNote = "OAID not read: MIUI gives it to apps only through its id provider by reflection, which no shell command reaches (unverified)";

    [GeneratedRegex("^[0-9A-Fa-f]{14,16}$")]
    private static partial Regex DeviceId();

    /// <summary>The IMEI (or MEID), or null with why not.</summary>
    public static async Task<(string? Imei, string? Problem)> ReadImeiAsync(AdbClient adb, string serial, RootAccess root, CancellationToken ct)
    {
        var result = await adb.ShellAsync(serial, root.Wrap(ImeiCommand), ct).ConfigureAwait(false);
        var (value, problem) = ServiceCallParcel.ReadString(result.Stdout.Length > 0 ? result.Stdout : result.Stderr);
        if (value is null) return (null, problem);
        return DeviceId().IsMatch(value) ? (value, null) : (null, $"getDeviceId answered \"{value}\", not an IMEI or MEID (no modem?)");
    }

    /// <summary>Package → SSAID, or empty with why not.</summary>
    public static async Task<(IReadOnlyDictionary<string, string> Ssaids, string? Problem)> ReadSsaidsAsync(AdbClient adb, string serial, RootAccess root, CancellationToken ct)
    {
        var result = await adb.ShellAsync(serial, root.Wrap("cat " + SsaidFile), ct).ConfigureAwait(false);
        var text = result.Stdout;
        if (text.StartsWith("ABX", StringComparison.Ordinal))
        {
            var converted = await adb.ShellAsync(serial, root.Wrap($"abx2xml {SsaidFile} -"), ct).ConfigureAwait(false);
            if (!converted.Stdout.TrimStart().StartsWith('<'))
                return (new Dictionary<string, string>(), $"{SsaidFile} is Android's binary XML (ABX, Android 12+) and the phone's abx2xml did not convert it ({ShellText.FirstLine(converted.Stderr + converted.Stdout)}): per-app ANDROID_IDs not read");
            text = converted.Stdout;
        }
        if (text.Trim().Length == 0) return (new Dictionary<string, string>(), $"{SsaidFile} not readable ({ShellText.FirstLine(result.Stderr)})");
        return ParseSsaidXml(text);
    }

    /// <summary>The &lt;setting name="UID" value="SSAID" package="PKG"/&gt; entries of settings_ssaid.xml (the "userkey" entry is the key, not an id).</summary>
    public static (IReadOnlyDictionary<string, string> Ssaids, string? Problem) ParseSsaidXml(string xml)
    {
        try
        {
            var ssaids = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var setting in XDocument.Parse(xml).Descendants("setting"))
            {
                if ((string?)setting.Attribute("name") == "userkey") continue;
                if ((string?)setting.Attribute("package") is { Length: > 0 } package && (string?)setting.Attribute("value") is { Length: > 0 } value)
                    ssaids[package] = value;
            }
            return (ssaids, null);
        }
        catch (XmlException e)
        {
            return (new Dictionary<string, string>(), $"{SsaidFile} is not XML: {e.Message}");
        }
    }
}
