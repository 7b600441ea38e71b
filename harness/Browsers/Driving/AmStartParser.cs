using System.Text.RegularExpressions;

namespace Harness.Browsers;

/// <summary>The activity `am start -W` says it started ("Activity: com.pkg/.Main"). No I/O.</summary>
internal static partial class AmStartParser
{
    [GeneratedRegex(@"^\s*Activity:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ActivityLine();

    public static string? ResolvedActivity(string output) => ActivityLine().Match(output ?? "") is { Success: true } m ? m.Groups[1].Value : null;
}
