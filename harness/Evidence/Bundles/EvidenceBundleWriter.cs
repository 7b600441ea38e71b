using System.Collections.Concurrent;
using System.Text;
using Harness.Core;
using Harness.Evidence.Records;
using Harness.Evidence.Signing;

namespace Harness.Evidence.Bundles;

/// <summary>
/// Writes one run's evidence bundle as the run goes: each case lands on disk (temp + rename) when it completes,
/// so a killed run leaves a readable partial bundle; <see cref="SealAsync"/> adds the manifest and signature at the end.
/// Cases from different phones may be added concurrently.
/// </summary>
public sealed class EvidenceBundleWriter
{
    private readonly EvidenceBundleOptions _options;
    private readonly RunInfo _run;
    private readonly ConcurrentDictionary<string, byte> _caseFolders = new(StringComparer.Ordinal);
    private readonly List<Redaction.RedactionEntry> _captureRedactions = [];
    private int _sealed;

    private EvidenceBundleWriter(EvidenceBundleOptions options, RunInfo run)
    {
        _options = options;
        _run = run;
    }

    public string BundleDirectory => _options.BundleDirectory;

    public static async Task<EvidenceBundleWriter> CreateAsync(EvidenceBundleOptions options, CancellationToken ct)
    {
        if (Directory.Exists(options.BundleDirectory) && Directory.EnumerateFileSystemEntries(options.BundleDirectory).Any())
            throw new BadInputException("bundle folder already exists and is not empty; choose a new folder per run", options.BundleDirectory);
        Directory.CreateDirectory(options.BundleDirectory);
        var run = new RunInfo
        {
            RunId = options.RunId,
            HarnessVersion = options.HarnessVersion,
            // The SDK stamps the commit into the informational version ("1.0.0+<sha>") when built from a checkout.
            HarnessCommit = options.HarnessCommit ?? (options.HarnessVersion?.Split('+', 2) is [_, { Length: > 0 } commit] ? commit : null),
            StartedUtc = options.TimeProvider.GetUtcNow(),
        };
        await AtomicFile.WriteAllBytesAsync(Path.Combine(options.BundleDirectory, BundleLayout.RunFile), BundleJson.Serialize(run), ct);
        return new EvidenceBundleWriter(options, run);
    }

    /// <summary>Copies a finished case's files into cases/&lt;id&gt;/ and writes result.json last; returns the record as stored.</summary>
    public async Task<CaseRecord> AddCaseAsync(CaseEvidence evidence, CancellationToken ct)
    {
        EnsureOpen();
        var folder = BundleLayout.CaseFolder(evidence.Record.CaseId);
        if (!_caseFolders.TryAdd(folder, 0))
            throw new InvalidOperationException($"case '{evidence.Record.CaseId}' was already added to this bundle");

        var attachments = new List<string>();
        async Task Copy(string? source, string relative)
        {
            if (source is null) return;
            await AtomicFile.CopyAsync(source, Resolve(relative), ct);
            attachments.Add(relative);
        }

        await Copy(evidence.HarPath, $"{folder}/{BundleLayout.CaseHarFile}");
        await Copy(evidence.CanariesPath, $"{folder}/{BundleLayout.CaseCanariesFile}");
        await Copy(evidence.ExpectationsPath, $"{folder}/{BundleLayout.CaseExpectationsFile}");
        foreach (var (source, name) in UniqueNames(evidence.Screenshots)) await Copy(source, $"{folder}/screenshots/{name}");
        foreach (var (source, name) in UniqueNames(evidence.UiDumps)) await Copy(source, $"{folder}/ui/{name}");
        await Copy(evidence.LogcatPath, $"{folder}/{BundleLayout.CaseLogcatFile}");

        // result.json last: its presence means the case's files are all there.
        var stored = evidence.Record with { Attachments = attachments };
        await AtomicFile.WriteAllBytesAsync(Resolve($"{folder}/{BundleLayout.CaseResultFile}"), BundleJson.Serialize(stored), ct);
        return stored;
    }

    public Task AddScenarioScriptAsync(string path, CancellationToken ct) =>
        CopyNamedAsync(path, "scenarios", ct);

    public Task AddBrowserProfileAsync(string path, CancellationToken ct) =>
        CopyNamedAsync(path, "profiles", ct);

    public async Task AddDeviceFactsAsync(DeviceFacts facts, CancellationToken ct)
    {
        EnsureOpen();
        var folder = BundleLayout.DeviceFolder(facts.Serial);
        if (facts.GetpropSnapshot is not null)
            await AtomicFile.WriteAllBytesAsync(Resolve($"{folder}/getprop.txt"), Encoding.UTF8.GetBytes(facts.GetpropSnapshot), ct);
        await AtomicFile.WriteAllBytesAsync(Resolve($"{folder}/facts.json"), BundleJson.Serialize(facts with { GetpropSnapshot = null }), ct);
    }

    /// <summary>A file about one phone beside its facts (e.g. the screenshot and UI dump of a preparation step that failed).</summary>
    public async Task AddDeviceFileAsync(string serial, string name, byte[] content, CancellationToken ct)
    {
        EnsureOpen();
        await AtomicFile.WriteAllBytesAsync(Resolve($"{BundleLayout.DeviceFolder(serial)}/{BundleLayout.SafeSegment(name)}"), content, ct);
    }

    /// <summary>Copies the proxy CA certificate. Refuses any file holding a private key: a bundle must never carry the CA key.</summary>
    public async Task AddProxyCaCertificateAsync(string pemPath, CancellationToken ct)
    {
        EnsureOpen();
        var text = await File.ReadAllTextAsync(pemPath, ct);
        if (text.Contains("PRIVATE KEY", StringComparison.Ordinal))
            throw new BadInputException("refusing to put a file containing a PRIVATE KEY into an evidence bundle; pass the certificate PEM only", pemPath);
        if (!text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            throw new BadInputException("not a PEM certificate (no BEGIN CERTIFICATE block)", pemPath);
        await AtomicFile.WriteAllBytesAsync(Resolve(BundleLayout.ProxyCaFile), Encoding.UTF8.GetBytes(text), ct);
    }

    /// <summary>
    /// Fields masked while the run captured them (a test account's password): listed in redactions.json at seal time,
    /// so a reader knows the HAR holds a mask there and why, as for a bundle passed through `harness redact`.
    /// </summary>
    public void AddCaptureRedactions(IEnumerable<Redaction.RedactionEntry> entries)
    {
        EnsureOpen();
        lock (_captureRedactions) _captureRedactions.AddRange(entries);
    }

    /// <summary>Records the end time, writes the public key, manifest and signature. The writer accepts nothing after this.</summary>
    public async Task<SealedBundle> SealAsync(BundleSigningKey key, CancellationToken ct)
    {
        EnsureOpen();
        List<Redaction.RedactionEntry> redactions;
        lock (_captureRedactions) redactions = [.. _captureRedactions];
        if (redactions.Count > 0)
            await AtomicFile.WriteAllBytesAsync(Resolve(BundleLayout.RedactionsFile), BundleJson.Serialize(new
            {
                MaskedAtCapture = true,
                Redactions = redactions.OrderBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.EntryIndex).ToList(),
            }), ct);
        return await SealCoreAsync(key, ct);
    }

    private Task<SealedBundle> SealCoreAsync(BundleSigningKey key, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _sealed, 1) == 1) throw new InvalidOperationException("bundle already sealed");
        var run = _run with { EndedUtc = _options.TimeProvider.GetUtcNow() };
        return BundleSealer.SealAsync(BundleDirectory, run, key, null, _options.TimeProvider, ct);
    }

    private async Task CopyNamedAsync(string path, string folder, CancellationToken ct)
    {
        EnsureOpen();
        var relative = $"{folder}/{BundleLayout.SafeSegment(Path.GetFileName(path))}";
        if (File.Exists(Resolve(relative)))
            throw new InvalidOperationException($"{relative} is already in the bundle");
        await AtomicFile.CopyAsync(path, Resolve(relative), ct);
    }

    private static IEnumerable<(string Source, string Name)> UniqueNames(IReadOnlyList<string> sources)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < sources.Count; i++)
        {
            var name = BundleLayout.SafeSegment(Path.GetFileName(sources[i]));
            if (!used.Add(name)) name = $"{i:D3}-{name}";
            used.Add(name);
            yield return (sources[i], name);
        }
    }

    private string Resolve(string relative) => Path.Combine(BundleDirectory, relative.Replace('/', Path.DirectorySeparatorChar));

    private void EnsureOpen()
    {
        if (Volatile.Read(ref _sealed) == 1) throw new InvalidOperationException("bundle already sealed");
    }
}
