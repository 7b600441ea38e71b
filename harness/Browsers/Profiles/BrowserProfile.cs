namespace Harness.Browsers;

/// <summary>
/// What the harness knows about one app it drives, loaded by <see cref="BrowserProfileLoader"/>: a browser under test
/// (scenarios/browsers/*.yaml) or a system app such as Settings (scenarios/system/*.yaml, <see cref="Kind"/> SystemApp).
/// </summary>
public sealed class BrowserProfile
{
    /// <summary>Sensors SDK flushes every 15 s; 20 s leaves room for the POST itself.</summary>
    public static readonly TimeSpan DefaultTelemetrySettle = TimeSpan.FromSeconds(20);

    public BrowserProfile(string id, string name, string package, string? launchActivity, string userAgentToken, TimeSpan telemetrySettle,
        IReadOnlyList<string> languages, IReadOnlyList<BrowserVersionRange> versionRanges, string sourceFile)
        : this(id, name, package, launchActivity, userAgentToken, telemetrySettle, languages, versionRanges, sourceFile, ProfileKind.Browser, null)
    {
    }

    public BrowserProfile(string id, string name, string package, string? launchActivity, string userAgentToken, TimeSpan telemetrySettle,
        IReadOnlyList<string> languages, IReadOnlyList<BrowserVersionRange> versionRanges, string sourceFile, ProfileKind kind, string? launchAction)
    {
        Kind = kind;
        LaunchAction = launchAction;
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

    public ProfileKind Kind { get; }

    /// <summary>Dialogs that may interrupt the app at any time, each with how to recognise and dismiss it.</summary>
    public IReadOnlyList<InterruptingDialog> Dialogs { get; init; } = [];

    /// <summary>
    /// An intent action to start the app with (`am start -a ACTION -p PACKAGE`), e.g. android.settings.SECURITY_SETTINGS;
    /// when set it wins over <see cref="LaunchActivity"/>: Settings screens are reached by action on every vendor's build.
    /// </summary>
    public string? LaunchAction { get; }

    /// <summary>mint, mibrowser, miuibrowser (android-settings for the Settings profile).</summary>
    public string Id { get; }
    public string Name { get; }
    public string Package { get; }

    /// <summary>Component name (<c>pkg/.Activity</c> or <c>pkg/full.Class</c>); null means resolve it on the phone.</summary>
    public string? LaunchActivity { get; }

    /// <summary>The token the app puts in its User-Agent, e.g. <c>XiaoMi/Mint Browser/</c>; empty for a system app.</summary>
    public string UserAgentToken { get; }

    public TimeSpan TelemetrySettle { get; }

    /// <summary>The telemetry uploads a case must see after its last browsing step to pass; null when the profile names none.</summary>
    public TelemetryHeartbeat? Telemetry { get; init; }

    /// <summary>Languages every label is given in (en, es, …).</summary>
    public IReadOnlyList<string> Languages { get; }

    /// <summary>In file order; the first range containing a version wins.</summary>
    public IReadOnlyList<BrowserVersionRange> VersionRanges { get; }

    public string SourceFile { get; }

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoSearchEngines = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// The hosts the build searches out of the box, per locale (<c>zh-CN</c>, <c>zh</c>) or <c>default</c>: searches sent
    /// there are intended. The profile decides, e.g. Baidu for a MIUI China build on a zh-CN phone, Google elsewhere.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> SearchEngines { get; init; } = NoSearchEngines;

    /// <summary>The search engines for a phone's locale: the exact locale, else its language, else default; empty when the profile names none.</summary>
    public IReadOnlyList<string> SearchEnginesFor(string? locale)
    {
        if (!string.IsNullOrEmpty(locale))
        {
            if (SearchEngines.TryGetValue(locale, out var exact)) return exact;
            if (SearchEngines.TryGetValue(locale.Split('-', '_')[0], out var language)) return language;
        }
        return SearchEngines.TryGetValue("default", out var fallback) ? fallback : [];
    }

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
