using System.Text;
using System.Text.Json;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>
/// One run of a differential case as expectations.json stores it: its place among the runs, its canaries and what
/// its own verdict depended on besides the flows tagged with its label (<see cref="DifferentialAnalyzer.RunTag"/>).
/// </summary>
public sealed record DifferentialRunRecord
{
    public required string Label { get; init; }
    public int Slot { get; init; }
    public int InputLength { get; init; }
    public int Order { get; init; }
    /// <summary>The run's canaries, in the canaries file format.</summary>
    public JsonElement Canaries { get; init; }
    public List<CaseJudgeConnection> UnaccountedConnections { get; init; } = [];
    public string? BlindSpot { get; init; }
    public DateTimeOffset? LastBrowsingStepUtc { get; init; }

    public DifferentialRun ToRun() => new(Label, Slot, InputLength, Order);

    public static DifferentialRunRecord From(DifferentialRunResult run) => new()
    {
        Label = run.Run.Label,
        Slot = run.Run.Slot,
        InputLength = run.Run.InputLength,
        Order = run.Run.Order,
        Canaries = JsonDocument.Parse(run.Result.Canaries?.ToJson() ?? "{}").RootElement.Clone(),
        UnaccountedConnections = run.Result.UnaccountedConnections.Select(CaseJudgeConnection.From).ToList(),
        BlindSpot = run.Result.BlindSpot,
        LastBrowsingStepUtc = run.Result.LastBrowsingStepUtc,
    };

    public CanarySet ReadCanaries(string file) => CanaryFileReader.Parse(Encoding.UTF8.GetBytes(Canaries.GetRawText()), $"{file} (differential run {Label})");
}
