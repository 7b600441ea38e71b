namespace Harness.Adb.Parsing;

/// <summary>Parses `pm list packages [-f] [--show-versioncode]`: `package:[path=]name[ versionCode:N]`.</summary>
public static class PackageListParser
{
    public static IReadOnlyList<string> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var packages = new List<string>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith("package:", StringComparison.Ordinal)) continue;
            var entry = line["package:".Length..];
            var space = entry.IndexOf(' ');
            if (space >= 0) entry = entry[..space];
            // With -f the path comes first and may itself contain '=' (base.apk=…), so the name is after the last '='.
            var equals = entry.LastIndexOf('=');
            if (equals >= 0) entry = entry[(equals + 1)..];
            if (entry.Length > 0) packages.Add(entry);
        }
        return packages;
    }
}
