namespace Harness.Browsers;

/// <summary>What the harness knows about one browser app, loaded from scenarios/browsers/*.yaml by <see cref="BrowserProfileLoader"/>.</summary>
public sealed class BrowserProfile
{
    /// <summary>Sensors SDK flushes every 15 s; 20 s leaves room for the POST itself.</summary>
    public static readonly TimeSpan DefaultTelemetrySettle = TimeSpan.FromSeconds(20);

    public BrowserProfile(string id, string name, string package, string? launchActivity, string userAgentToken, TimeSpan telemetrySettle,
        IReadOnlyList<string> languages, IReadOnlyList<BrowserVersionRange> versionRanges, string sourceFile)
    {
        Id = id;
        Name = name;
        Package = package;
        LaunchActivity = launchActivity;
        UserAgentToken = userAgentToken;
        TelemetrySettle = telemetrySettle;
        Languages = languages;
        VersionRanges = versionRanges;
        SourceFile = sourceFile;
    }

    /// <summary>mint, mibrowser, miuibrowser.</summary>
    public string Id { get; }
    public string Name { get; }
    public string Package { get; }

    /// <summary>Component name (<c>pkg/.Activity</c> or <c>pkg/full.Class</c>); null means resolve it on the phone.</summary>
    public string? LaunchActivity { get; }

    /// <summary>The token the app puts in its User-Agent, e.g. <c>XiaoMi/Mint Browser/</c>.</summary>
    public string UserAgentToken { get; }

    public TimeSpan TelemetrySettle { get; }

    /// <summary>Languages every label is given in (en, es, …).</summary>
    public IReadOnlyList<string> Languages { get; }

    /// <summary>In file order; the first range containing a version wins.</summary>
    public IReadOnlyList<BrowserVersionRange> VersionRanges { get; }

    public string SourceFile { get; }

    public BrowserVersionRange? FindRange(AppVersion version) => VersionRanges.FirstOrDefault(r => r.Range.Contains(version));

    /// <summary>The range for an installed versionName; throws <see cref="BrowserVersionNotSupportedException"/> naming the file and the version.</summary>
    public BrowserVersionRange SelectRange(string versionName)
    {
        if (!AppVersion.TryParse(versionName, out var version) || FindRange(version) is not { } range)
            throw new BrowserVersionNotSupportedException(this, versionName);
        return range;
    }

    public override string ToString() => $"{Id} ({Package})";
}
