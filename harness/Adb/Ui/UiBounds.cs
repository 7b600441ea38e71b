using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Adb.Ui;

/// <summary>uiautomator's `bounds="[x1,y1][x2,y2]"`: visible bounds, already clipped to the screen.</summary>
public readonly partial record struct UiBounds(int Left, int Top, int Right, int Bottom)
{
    [GeneratedRegex(@"^\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]$")]
    private static partial Regex BoundsPattern();

    public int Width => Right - Left;
    public int Height => Bottom - Top;
    public UiPoint Center => new((Left + Right) / 2, (Top + Bottom) / 2);
    public bool IsEmpty => Width <= 0 || Height <= 0;

    public static UiBounds Parse(string text)
    {
        var match = BoundsPattern().Match(text ?? "");
        if (!match.Success)
            throw new FormatException($"bounds must look like [x1,y1][x2,y2], got \"{text}\"");
        // A coordinate beyond int is as malformed as a missing one (it threw OverflowException: found by fuzzing).
        int At(int group) => int.TryParse(match.Groups[group].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"bounds coordinate out of range in \"{text}\"");
        return new UiBounds(At(1), At(2), At(3), At(4));
    }

    public override string ToString() => $"[{Left},{Top}][{Right},{Bottom}]";
}
