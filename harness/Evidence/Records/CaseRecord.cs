namespace Harness.Evidence.Records;

/// <summary>What one case (scenario × device × browser × mode) concluded; stored as result.json in a bundle.</summary>
public sealed record CaseRecord
{
    public required string CaseId { get; init; }
    public required string Scenario { get; init; }
    public required string BrowserPackage { get; init; }
    public string? BrowserVersion { get; init; }
    public string? DeviceSerial { get; init; }
    public string? DeviceModel { get; init; }
    /// <summary>Who answered the phone's requests: "forward" (their real origins) or "sinkhole" (the proxy itself).</summary>
    public string? Upstream { get; init; }
    /// <summary>Browser configuration as run, e.g. "incognito=on,sync=off".</summary>
    public string Mode { get; init; } = "";
    /// <summary>One of <see cref="CaseVerdicts"/>.</summary>
    public required string Verdict { get; init; }
    public string? Reason { get; init; }
    /// <summary>Set when the case could not run properly because of the rig (device lost, proxy down): Allure shows it as broken.</summary>
    public string? InfrastructureError { get; init; }
    public IReadOnlyList<FindingRecord> Findings { get; init; } = [];
    public IReadOnlyList<string> CoverageGaps { get; init; } = [];
    public DateTimeOffset StartedUtc { get; init; }
    public DateTimeOffset StoppedUtc { get; init; }
    /// <summary>Paths relative to the bundle root (forward slashes).</summary>
    public IReadOnlyList<string> Attachments { get; init; } = [];
    public IReadOnlyList<CaseStepRecord> Steps { get; init; } = [];

    /// <summary>Reads a mode string like "incognito=on,sync=off" into its switches.</summary>
    public IReadOnlyDictionary<string, string> ModeSwitches() =>
        Mode.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(kv => kv[0].Length > 0)
            .GroupBy(kv => kv[0], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last().Length > 1 ? g.Last()[1] : "on", StringComparer.OrdinalIgnoreCase);
}
