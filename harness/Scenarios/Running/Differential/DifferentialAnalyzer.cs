using System.Text.RegularExpressions;
using Harness.Flows;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>
/// Differential analysis of opaque requests (after AGRIGENTO, NDSS 2017): the same case is run with inputs of
/// different lengths and once more as a baseline; each kind of opaque request (endpoint and shape) is aligned across
/// the runs, and its size per run is compared with the input's length. Ciphertext changes in content on every request
/// (a fresh IV), so its size is what can follow the input: a payload that grows with the canary while the baseline
/// (run 1's length, other values) matches run 1 carries the input; one that stays flat does not. Pure: no I/O, the
/// same answer for the run and for `harness verify`.
/// </summary>
public static partial class DifferentialAnalyzer
{
    public const int MinRuns = 2;
    public const int MaxRuns = 6;

    /// <summary>How many runs beyond N+1 a disagreement may cost before the case is inconclusive.</summary>
    public const int MaxExtraRuns = 2;

    /// <summary>
    /// Characters the URL canary grows by from one run to the next. Random base32 compresses to about 5/8, so one copy
    /// of the step adds ~160 bytes of gzip, ~280 after two base64 layers (mint@3.5.0's encrypted batch): well above
    /// <see cref="Allowance"/> (measured: 40 B between a baseline and run 1; 132 B per step at 128 chars was too close).
    /// At <see cref="MaxRuns"/> the URL is about 1,400 characters, which every browser and server takes.
    /// </summary>
    public const int InputLengthStep = 256;

    /// <summary>The flow tag naming the run of a differential case a flow belongs to.</summary>
    public const string RunTag = "differentialRun";

    /// <summary>
    /// Noise two runs of the same input length may differ by: block padding (16 B), base64 rounding, and compressed
    /// timestamps and ids of varying digits, plus 2% of the size for batches whose other events differ slightly.
    /// </summary>
    public static long Allowance(long size) => 64 + size / 50;

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^(?:[0-9a-fA-F-]{8,}|.*\d.*|[A-Za-z0-9_-]{24,})$")]
    private static partial Regex IdSegment();

    /// <summary>Host and path template: path segments that hold digits or look like ids become <c>{id}</c>.</summary>
    public static string EndpointOf(Flow flow)
    {
        var path = PathOf(flow.Url);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => IdSegment().IsMatch(s) ? "{id}" : s);
        return flow.Host.ToLowerInvariant() + "/" + string.Join('/', segments);
    }

    /// <summary>Method, content type without parameters, query keys, and where in the request the payload sat (digits folded).</summary>
    public static string ShapeOf(Flow flow, OpaquePayload payload)
    {
        var contentType = flow.RequestBody?.ContentType
            ?? flow.RequestHeaders.FirstOrDefault(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))?.Value;
        var type = contentType is null ? "-" : contentType.Split(';')[0].Trim().ToLowerInvariant();
        var query = QueryOf(flow.Url);
        var keys = query.Length == 0 ? "" : " ?" + string.Join('&', query.Split('&').Select(p => p.Split('=')[0]).Distinct().Order(StringComparer.Ordinal));
        return $"{flow.Method ?? "-"} {type}{keys} {Digits().Replace(payload.Location, "#")}";
    }

    /// <summary>
    /// One observation per request: a request is aligned by its first opaque payload (a decoder's declared one comes
    /// first: the encrypted Sensors batch rather than the ciphertext the generic walk also finds inside it).
    /// </summary>
    public static IReadOnlyList<DifferentialObservation> Observe(string run, IEnumerable<(Flow Flow, DestinationClass Destination, OpaquePayload Payload)> opaque) =>
        opaque.Where(o => o.Destination != DestinationClass.Intended)
            .GroupBy(o => o.Flow, ReferenceEqualityComparer.Instance).Select(g => g.First())
            .Select(o => new DifferentialObservation(run, EndpointOf(o.Flow), ShapeOf(o.Flow, o.Payload), o.Payload.Size, o.Flow.Id))
            .ToList();

    public static DifferentialAnalysis Analyze(IReadOnlyList<DifferentialRun> runs, IReadOnlyList<DifferentialObservation> observations)
    {
        var counted = runs.GroupBy(r => r.Slot).Select(g => g.MaxBy(r => r.Order)!)
            .OrderBy(r => r.Baseline).ThenBy(r => r.Slot).ToList();
        var labels = counted.Select(r => r.Label).ToHashSet(StringComparer.Ordinal);
        var rows = observations.Where(o => labels.Contains(o.Run))
            .GroupBy(o => (o.Endpoint, o.Shape))
            .OrderBy(g => g.Key.Endpoint, StringComparer.Ordinal).ThenBy(g => g.Key.Shape, StringComparer.Ordinal)
            .Select(g => Judge(g.Key.Endpoint, g.Key.Shape, counted.Select(r => new DifferentialRowSize(r,
                g.Count(o => o.Run == r.Label), g.Where(o => o.Run == r.Label).Sum(o => o.Size))).ToList()))
            .ToList();
        // Every repeat says why it was needed: what the runs before it disagreed on (reported, not hidden).
        var repeats = runs.Where(r => runs.Any(o => o.Slot == r.Slot && o.Order < r.Order)).OrderBy(r => r.Order)
            .Select(r => (Run: r, Before: Analyze(runs.Where(o => o.Order < r.Order).ToList(), observations)))
            .Select(x => $"{x.Run.Label} ran because the runs before it disagreed: {x.Before.Rows.FirstOrDefault(row => row.Kind == DifferentialRowKind.Disagree)?.ToString() ?? "(they did not)"}")
            .ToList();
        return new DifferentialAnalysis(runs, counted, rows) { RepeatReasons = repeats };
    }

    private static DifferentialRow Judge(string endpoint, string shape, IReadOnlyList<DifferentialRowSize> sizes)
    {
        var allowance = Allowance(sizes.Max(s => s.Bytes));
        DifferentialRow Row(DifferentialRowKind kind, string why, int? repeat = null) => new(endpoint, shape, kind, sizes, allowance, why, repeat);

        // Runs that sent a different number of these requests (a flush split in two, one missing) cannot be compared by size.
        var usual = sizes.GroupBy(s => s.Requests).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).First().Key;
        if (sizes.FirstOrDefault(s => s.Requests != usual) is { } odd)
            return Row(DifferentialRowKind.Disagree, $"{odd.Run.Label} sent {odd.Requests} such request(s), the other runs mostly {usual}", odd.Run.Slot);

        var spread = sizes.Max(s => s.Bytes) - sizes.Min(s => s.Bytes);
        var canaries = sizes.Where(s => !s.Run.Baseline).OrderBy(s => s.Run.InputLength).ToList();
        if (canaries.Count < MinRuns) return Row(DifferentialRowKind.Disagree, $"{canaries.Count} canary run(s): at least {MinRuns} are needed to see a size follow the input");
        var inputGrowth = canaries[^1].Run.InputLength - canaries[0].Run.InputLength;
        if (spread <= allowance)
            return Row(DifferentialRowKind.NotCorrelated, $"not input-correlated over {canaries.Count} runs: size flat within ±{allowance} B while the input grew by {inputGrowth} chars");

        var steps = canaries.Zip(canaries.Skip(1), (a, b) => b.Bytes - a.Bytes).ToList();
        var grows = steps.All(d => d > allowance);
        var baseline = sizes.FirstOrDefault(s => s.Run.Baseline);
        var twin = baseline is null ? null : canaries.FirstOrDefault(s => s.Run.InputLength == baseline.Run.InputLength);
        var baselineStable = baseline is not null && twin is not null && Math.Abs(baseline.Bytes - twin.Bytes) <= allowance;
        if (grows && baselineStable)
            return Row(DifferentialRowKind.Correlated,
                $"opaque payload correlated with the input: size grew by {string.Join(", ", steps.Select(d => $"+{d} B"))} as the input grew by {InputLengthStep} chars a run, baseline within ±{allowance} B of {twin!.Run.Label}");
        if (grows)
            return Row(DifferentialRowKind.Disagree,
                baseline is null ? "no baseline run to tell input from noise"
                    : $"size grew with the input, but the baseline ({baseline.Bytes} B) differs from {twin?.Run.Label ?? "the run of its length"} by more than ±{allowance} B at the same input length",
                0);
        return Row(DifferentialRowKind.Disagree, $"size changed between runs ({string.Join(", ", steps.Select(d => d.ToString("+0;-0")))} B) but not in step with the input", WorstFit(canaries));
    }

    /// <summary>The canary run farthest from the least-squares line of size over input length.</summary>
    private static int WorstFit(IReadOnlyList<DifferentialRowSize> canaries)
    {
        var n = canaries.Count;
        var meanX = canaries.Average(s => (double)s.Run.InputLength);
        var meanY = canaries.Average(s => (double)s.Bytes);
        var sxx = canaries.Sum(s => Math.Pow(s.Run.InputLength - meanX, 2));
        var slope = sxx == 0 ? 0 : canaries.Sum(s => (s.Run.InputLength - meanX) * (s.Bytes - meanY)) / sxx;
        return canaries.MaxBy(s => Math.Abs(s.Bytes - (meanY + slope * (s.Run.InputLength - meanX))))!.Run.Slot;
    }

    private static string PathOf(string? url)
    {
        if (url is null) return "";
        var start = url.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0 ? url.IndexOf('/', scheme + 3) : url.StartsWith('/') ? 0 : -1;
        if (start < 0) return "";
        var end = url.IndexOfAny(['?', '#'], start);
        return end < 0 ? url[start..] : url[start..end];
    }

    private static string QueryOf(string? url)
    {
        if (url is null || url.IndexOf('?') is not (var q and >= 0)) return "";
        var end = url.IndexOf('#', q);
        return end < 0 ? url[(q + 1)..] : url[(q + 1)..end];
    }
}
