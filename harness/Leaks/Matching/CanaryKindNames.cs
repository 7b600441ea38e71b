namespace Harness.Leaks;

/// <summary>The lowercase names canary kinds have in files and reports.</summary>
public static class CanaryKindNames
{
    public static string ToName(CanaryKind kind) => kind switch
    {
        CanaryKind.Url => "url",
        CanaryKind.Host => "host",
        CanaryKind.Path => "path",
        CanaryKind.Query => "query",
        CanaryKind.Title => "title",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? name, out CanaryKind kind)
    {
        switch (name?.ToLowerInvariant())
        {
            case "url": kind = CanaryKind.Url; return true;
            case "host": kind = CanaryKind.Host; return true;
            case "path": kind = CanaryKind.Path; return true;
            case "query": case "search": kind = CanaryKind.Query; return true;
            case "title": kind = CanaryKind.Title; return true;
            default: kind = default; return false;
        }
    }
}
