using System.Text.RegularExpressions;
using Harness.Adb.Ui;

namespace Harness.Adb.Parsing;

/// <summary>
/// Finds the foreground activity in `dumpsys activity activities` (mResumedActivity / ResumedActivity:) or
/// `dumpsys window` (mCurrentFocus / mFocusedApp): `ActivityRecord{… u0 com.pkg/.Act t12}` or `Window{… u0 com.pkg/com.pkg.Act}`.
/// </summary>
public static partial class FocusedActivityParser
{
    [GeneratedRegex(@"(?:mResumedActivity|ResumedActivity|mCurrentFocus|mFocusedApp)[:=].*?\s([A-Za-z0-9_.]+)/([A-Za-z0-9_.$]+)")]
    private static partial Regex ComponentPattern();

    public static FocusedActivity? Parse(string dumpsysOutput)
    {
        ArgumentNullException.ThrowIfNull(dumpsysOutput);
        foreach (var line in dumpsysOutput.Split('\n'))
        {
            var match = ComponentPattern().Match(line);
            if (match.Success) return new FocusedActivity(match.Groups[1].Value, match.Groups[2].Value);
        }
        return null;
    }
}
