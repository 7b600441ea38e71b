using System.Text;
using System.Text.Json;
using Harness.Core;
using Harness.Evidence.Bundles;
using Harness.Evidence.History;

namespace Harness.Scenarios;

/// <summary>
/// `harness merge`: the output folders of a rack's shards (each `harness run --shard K/N` or run.ps1 -Shard on its own
/// host) become one run's folder: one suite-results.jsonl (so one summary and exit code), one allure-results, one run in
/// the history database, and bundle-index.json over the shards' bundles, copied unchanged under bundles/ (each stays
/// signed by its own host's key). A missing shard is a phone-level failure of the merged run (exit 4), never silence.
/// </summary>
public static class RunMerger
{
    public const string BundlesFolder = "bundles";
    public const string AllureFolder = "allure-results";
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Merges <paramref name="outputs"/> into <paramref name="merged"/> (which must not exist or be empty).</summary>
    public static async Task MergeAsync(IReadOnlyList<string> outputs, string merged, string historyDatabase, CancellationToken ct)
    {
        if (outputs.Count == 0) throw new BadInputException("name the shards' output folders to merge", field: "outputs");
        if (Directory.Exists(merged) && Directory.EnumerateFileSystemEntries(merged).Any())
            throw new BadInputException("exists and is not empty: merge into a new folder", merged, field: "-o");
        var shards = new List<(string Folder, string Label, IReadOnlyList<RunResultLine> Lines)>();
        foreach (var (folder, position) in outputs.Select((f, i) => (Path.GetFullPath(f), i + 1)))
        {
            var results = Path.Combine(folder, RunResultLine.FileName);
            if (!File.Exists(results)) throw new BadInputException($"not a run's output folder: {RunResultLine.FileName} missing", folder);
            var lines = RunResultLine.ReadAll(results);
            shards.Add((folder, lines.LastOrDefault(l => l.Kind == RunResultLine.RunKind)?.Shard ?? $"#{position}", lines));
        }
        var missing = CheckShardSet(shards.Select(s => (s.Folder, s.Label)).ToList());

        Directory.CreateDirectory(merged);
        var allLines = new List<RunResultLine>();
        foreach (var (_, _, lines) in shards) allLines.AddRange(lines.Where(l => l.Kind != RunResultLine.RunKind));
        var now = DateTimeOffset.UtcNow;
        allLines.AddRange(missing.Select(label => new RunResultLine
        {
            Kind = RunResultLine.DeviceKind, Serial = "shard " + label, Reason = $"shard {label} was not merged: its phones did not run here",
            Infrastructure = "shard missing", StartedUtc = now, StoppedUtc = now,
        }));
        var ends = shards.Select(s => s.Lines.LastOrDefault(l => l.Kind == RunResultLine.RunKind)).ToList();
        if (ends.All(e => e is not null))
        {
            allLines.Add(new RunResultLine
            {
                Kind = RunResultLine.RunKind,
                Reason = $"merged {shards.Count} shard(s): " + string.Join(", ", shards.Select(s => $"{s.Label} {Path.GetFileName(s.Folder)}")),
                StartedUtc = ends.Min(e => e!.StartedUtc),
                StoppedUtc = ends.Max(e => e!.StoppedUtc),
            });
        }
        await File.WriteAllTextAsync(Path.Combine(merged, RunResultLine.FileName),
            string.Concat(allLines.Select(l => JsonSerializer.Serialize(l, RunResultLine.Json) + "\n")), Utf8NoBom, ct).ConfigureAwait(false);

        await MergeAllureAsync(shards.Select(s => Path.Combine(s.Folder, AllureFolder)).ToList(), Path.Combine(merged, AllureFolder), ct).ConfigureAwait(false);

        var entries = new List<BundleIndexEntry>();
        var records = new List<Evidence.Records.CaseRecord>();
        string? version = null;
        foreach (var (folder, label, _) in shards)
        {
            var relative = $"{BundlesFolder}/shard-{BundleLayout.SafeSegment(label.TrimStart('#').Replace('/', '-'))}";
            CopyDirectory(Path.Combine(folder, "bundle"), Path.Combine(merged, relative));
            entries.Add(await BundleIndex.DescribeAsync(merged, relative, label, ct).ConfigureAwait(false));
            using var bundle = await BundleReader.OpenAsync(Path.Combine(merged, relative), ct).ConfigureAwait(false);
            records.AddRange(bundle.Cases.Select(c => c.Record));
            version ??= bundle.Manifest?.HarnessVersion;
        }
        await new BundleIndex { Shards = entries }.WriteAsync(merged, ct).ConfigureAwait(false);

        // One run in the history, as if one host had run the whole rack: nightly comparisons and `harness history` see it whole.
        await using var history = await HistoryStore.OpenAsync(historyDatabase, ct).ConfigureAwait(false);
        var started = allLines.Where(l => l.Kind == RunResultLine.CaseKind).Select(l => l.StartedUtc).DefaultIfEmpty(now).Min();
        var runId = await history.StartRunAsync(started, HistoryRunKind.Run, version ?? "0.0.0", ct).ConfigureAwait(false);
        foreach (var record in records) await history.RecordCaseAsync(runId, record, ct).ConfigureAwait(false);
        await history.EndRunAsync(runId, allLines.Select(l => l.StoppedUtc).DefaultIfEmpty(now).Max(), ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(merged, RackRun.HistoryRunIdFileName), runId.ToString(System.Globalization.CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Shards that named themselves K/N must agree on N and not repeat a K; returns the K/N labels nobody brought.
    /// Outputs without a shard label (unsharded runs of different racks) are merged as they are.
    /// </summary>
    private static IReadOnlyList<string> CheckShardSet(IReadOnlyList<(string Folder, string Label)> shards)
    {
        var named = shards.Where(s => !s.Label.StartsWith('#')).Select(s => (s.Folder, Shard: RackShard.Parse(s.Label, "shard"))).ToList();
        if (named.Count == 0) return [];
        if (named.Select(s => s.Shard.Count).Distinct().Count() > 1)
            throw new BadInputException("the outputs are shards of different splits: " + string.Join(", ", named.Select(s => $"{s.Shard} ({s.Folder})")), field: "outputs");
        var twice = named.GroupBy(s => s.Shard.Index).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new BadInputException($"shard {twice.First().Shard} is given twice: {string.Join(", ", twice.Select(s => s.Folder))}", field: "outputs");
        var count = named[0].Shard.Count;
        return Enumerable.Range(1, count).Where(k => named.All(s => s.Shard.Index != k)).Select(k => $"{k}/{count}").ToList();
    }

    /// <summary>Every shard's results side by side (uuids are unique); environment.properties keys united, values that differ joined.</summary>
    private static async Task MergeAllureAsync(IReadOnlyList<string> folders, string target, CancellationToken ct)
    {
        Directory.CreateDirectory(target);
        var environment = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var folder in folders.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var name = Path.GetFileName(file);
                if (name == "environment.properties")
                {
                    foreach (var line in await File.ReadAllLinesAsync(file, ct).ConfigureAwait(false))
                    {
                        var eq = line.IndexOf('=');
                        if (eq <= 0) continue;
                        if (!environment.TryGetValue(line[..eq], out var values)) environment[line[..eq]] = values = new SortedSet<string>(StringComparer.Ordinal);
                        values.Add(line[(eq + 1)..]);
                    }
                    continue;
                }
                var destination = Path.Combine(target, name);
                if (!File.Exists(destination)) File.Copy(file, destination);
            }
        }
        if (environment.Count > 0)
            await File.WriteAllLinesAsync(Path.Combine(target, "environment.properties"), environment.Select(e => $"{e.Key}={string.Join(", ", e.Value)}"), ct).ConfigureAwait(false);
    }

    private static void CopyDirectory(string source, string destination)
    {
        if (!Directory.Exists(source)) throw new BadInputException("the shard has no bundle folder", source);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
