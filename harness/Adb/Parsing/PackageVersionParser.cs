using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Adb.Parsing;

/// <summary>
/// Parses `dumpsys package PKG`. The first versionCode / versionName lines win (a system app updated in place lists
/// the update first). No versionName line means the package is not installed.
/// </summary>
public static partial class PackageVersionParser
{
    [GeneratedRegex(@"^\s*versionCode=(\d+)")]
    private static partial Regex VersionCodeLine();

    [GeneratedRegex(@"^\s*versionName=(.*)$")]
    private static partial Regex VersionNameLine();

    public static PackageVersion? Parse(string packageName, string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        string? name = null;
        long? code = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (code is null && VersionCodeLine().Match(line) is { Success: true } codeMatch)
                code = long.TryParse(codeMatch.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new AdbProtocolException($"versionCode out of range in \"{line.Trim()}\"");
            if (name is null && VersionNameLine().Match(line) is { Success: true } nameMatch)
                name = nameMatch.Groups[1].Value.Trim();
        }
        return name is null ? null : new PackageVersion(packageName, name, code ?? 0);
    }
}
