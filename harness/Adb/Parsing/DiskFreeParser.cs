using System.Globalization;

namespace Harness.Adb.Parsing;

/// <summary>
/// Parses `df PATH` as toybox prints it (`Filesystem 1K-blocks Used Available Use% Mounted on`, sizes in KiB).
/// Older toolbox df prints sizes with a unit suffix (`12.5G`); both are accepted.
/// </summary>
public static class DiskFreeParser
{
    public static IReadOnlyList<DiskUsage> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var rows = new List<DiskUsage>();
        foreach (var raw in output.Split('\n'))
        {
            var fields = raw.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5 || fields[0] == "Filesystem") continue;
            if (!TryParseSize(fields[1], out var size) || !TryParseSize(fields[2], out var used) || !TryParseSize(fields[3], out var available))
                continue;
            rows.Add(new DiskUsage(fields[0], fields[^1], size, used, available));
        }
        return rows;
    }

    private static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        if (text.Length == 0) return false;
        var unit = char.ToUpperInvariant(text[^1]);
        var multiplier = unit switch { 'K' => 1024L, 'M' => 1024L * 1024, 'G' => 1024L * 1024 * 1024, 'T' => 1024L * 1024 * 1024 * 1024, _ => 0L };
        if (multiplier == 0)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var kib)) return false;
            bytes = kib * 1024;
            return true;
        }
        if (!double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)) return false;
        bytes = (long)(amount * multiplier);
        return true;
    }
}
