using System.Text.Json;

namespace Harness.Scenarios;

/// <summary>
/// One line of &lt;out&gt;/suite-results.jsonl: a finished case ("case"), a phone that could not run or was not fully
/// restored ("device"), or the end of the run ("run"; a file without it is a run that never finished).
/// `harness summary` builds its table and exit code from these lines.
/// </summary>
public sealed record RunResultLine
{
    public const string FileName = "suite-results.jsonl";
    public const string CaseKind = "case";
    public const string DeviceKind = "device";
    public const string RunKind = "run";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public required string Kind { get; init; }
    public string? Serial { get; init; }
    public string? Model { get; init; }
    public string? Browser { get; init; }
    public string? Package { get; init; }
    public string? Version { get; init; }
    public string? Scenario { get; init; }
    public string? Mode { get; init; }

    /// <summary>pass, fail, inconclusive or n/a (<see cref="CaseVerdictNames.Token"/>).</summary>
    public string? Verdict { get; init; }
    public string? Reason { get; init; }
    public string? Infrastructure { get; init; }
    public IReadOnlyList<string> Findings { get; init; } = [];
    /// <summary>On the closing line of a shard's run: "K/N" (what `harness merge` checks the set of shards by).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Shard { get; init; }
    public DateTimeOffset StartedUtc { get; init; }
    public DateTimeOffset StoppedUtc { get; init; }

    /// <summary>The lines of a suite-results.jsonl; a line cut off by a killed run is skipped.</summary>
    public static IReadOnlyList<RunResultLine> ReadAll(string path)
    {
        var lines = new List<RunResultLine>();
        foreach (var text in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                if (JsonSerializer.Deserialize<RunResultLine>(text, Json) is { } line) lines.Add(line);
            }
            catch (JsonException)
            {
                // The last line of a run killed mid-write.
            }
        }
        return lines;
    }
}
