namespace Harness.Evidence.Regression;

/// <summary>Orders version names like "12.4.3-g" &lt; "12.10.1": numeric segments compare as numbers, others ordinally.</summary>
public sealed class BrowserVersionComparer : IComparer<string?>
{
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var a = Split(x);
        var b = Split(y);
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            if (i >= a.Length) return -1;
            if (i >= b.Length) return 1;
            var bothNumeric = long.TryParse(a[i], out var na) & long.TryParse(b[i], out var nb);
            var order = bothNumeric ? na.CompareTo(nb) : string.CompareOrdinal(a[i], b[i]);
            if (order != 0) return order;
        }
        return 0;
    }

    private static string[] Split(string version) =>
        version.Split(['.', '-', '_', ' ', '+'], StringSplitOptions.RemoveEmptyEntries);
}
