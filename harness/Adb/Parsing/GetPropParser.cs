using System.Text.RegularExpressions;

namespace Harness.Adb.Parsing;

/// <summary>Parses `getprop` output: lines `[key]: [value]`. Lines that do not match are ignored (multi-line values are rare and unused).</summary>
public static partial class GetPropParser
{
    [GeneratedRegex(@"^\[([^\]]+)\]:\s*\[(.*)\]$")]
    private static partial Regex PropertyLine();

    public static IReadOnlyDictionary<string, string> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in output.Split('\n'))
        {
            var match = PropertyLine().Match(raw.TrimEnd('\r'));
            if (match.Success) properties[match.Groups[1].Value] = match.Groups[2].Value;
        }
        return properties;
    }
}
