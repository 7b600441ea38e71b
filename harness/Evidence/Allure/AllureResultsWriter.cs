using System.Text;
using Harness.Evidence.Bundles;
using Harness.Evidence.Records;

namespace Harness.Evidence.Allure;

/// <summary>
/// Writes Allure 2 results (allure-nunit conventions) for leak-suite cases into a flat results directory:
/// `&lt;uuid&gt;-result.json`, `&lt;uuid&gt;-attachment.&lt;ext&gt;`, environment.properties, executor.json, categories.json.
/// </summary>
public sealed class AllureResultsWriter(string resultsDirectory, AllureWriterOptions? options = null)
{
    private readonly AllureWriterOptions _options = options ?? new AllureWriterOptions();

    public string ResultsDirectory { get; } = resultsDirectory;

    /// <summary>Leak → failed, Inconclusive → skipped, Infrastructure → broken.</summary>
    public static IReadOnlyList<AllureCategory> Categories { get; } =
    [
        new("Leak", [AllureStatus.Failed]),
        new("Inconclusive", [AllureStatus.Skipped]),
        new("Infrastructure", [AllureStatus.Broken]),
    ];

    /// <summary>
    /// Writes one case. <paramref name="attachmentRoot"/> is the folder <see cref="CaseRecord.Attachments"/> are relative to
    /// (the evidence bundle); attachments that do not exist there are skipped.
    /// </summary>
    public async Task<AllureResult> WriteCaseAsync(CaseRecord record, string? attachmentRoot, CancellationToken ct)
    {
        Directory.CreateDirectory(ResultsDirectory);
        var uuid = Guid.NewGuid().ToString();
        var switches = record.ModeSwitches();
        var fullName = $"{_options.Package}.{Identifier(record.BrowserPackage)}.{Identifier(record.Scenario)}";
        var parameters = new List<AllureParameter>
        {
            new("device", record.DeviceSerial ?? "unknown"),
            // Excluded from historyId so a nightly's new browser version continues the same history line in Allure.
            new("browser version", record.BrowserVersion ?? "unknown", Excluded: true),
            new("incognito", switches.GetValueOrDefault("incognito", "off")),
            new("sync", switches.GetValueOrDefault("sync", "off")),
        };
        parameters.AddRange(switches.Where(s => s.Key is not ("incognito" or "sync")).OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new AllureParameter(s.Key, s.Value)));

        var attachments = new List<AllureAttachment> { await WriteFindingsAsync(record, ct) };
        if (attachmentRoot is not null)
        {
            foreach (var relative in record.Attachments)
            {
                var source = Path.Combine(attachmentRoot, relative);
                if (!File.Exists(source)) continue;
                var (name, type) = Describe(relative);
                attachments.Add(await CopyAttachmentAsync(source, name, type, ct));
            }
        }

        var status = StatusOf(record);
        var result = new AllureResult
        {
            Uuid = uuid,
            FullName = fullName,
            TestCaseId = AllureIds.TestCaseId(fullName),
            HistoryId = AllureIds.HistoryId(fullName, parameters),
            Name = $"{record.Scenario} [{record.BrowserPackage} {record.BrowserVersion}, {record.Mode}] on {record.DeviceModel ?? record.DeviceSerial}",
            Description = Description(record),
            Status = status,
            StatusDetails = new AllureStatusDetails { Message = Message(record, status) },
            Start = record.StartedUtc.ToUnixTimeMilliseconds(),
            Stop = record.StoppedUtc.ToUnixTimeMilliseconds(),
            Labels = Labels(record, switches),
            Parameters = parameters,
            Attachments = attachments,
            Steps = record.Steps.Select(s => new AllureStep
            {
                Name = s.Name,
                Status = AllureStatus.All.Contains(s.Status) ? s.Status : AllureStatus.Broken,
                StatusDetails = new AllureStatusDetails { Message = s.Message },
                Start = s.StartedUtc.ToUnixTimeMilliseconds(),
                Stop = s.StoppedUtc.ToUnixTimeMilliseconds(),
            }).ToList(),
        };
        await AtomicFile.WriteAllBytesAsync(Path.Combine(ResultsDirectory, $"{uuid}-result.json"), BundleJson.Serialize(result), ct);
        return result;
    }

    public Task WriteEnvironmentAsync(IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            text.Append(EscapeProperty(key, isKey: true)).Append('=').Append(EscapeProperty(value, isKey: false)).Append('\n');
        return AtomicFile.WriteAllBytesAsync(Path.Combine(ResultsDirectory, "environment.properties"), Encoding.UTF8.GetBytes(text.ToString()), ct);
    }

    public Task WriteExecutorAsync(AllureExecutor executor, CancellationToken ct) =>
        AtomicFile.WriteAllBytesAsync(Path.Combine(ResultsDirectory, "executor.json"), BundleJson.Serialize(executor), ct);

    public Task WriteCategoriesAsync(CancellationToken ct) =>
        AtomicFile.WriteAllBytesAsync(Path.Combine(ResultsDirectory, "categories.json"), BundleJson.Serialize(Categories), ct);

    public static string StatusOf(CaseRecord record) =>
        record.InfrastructureError is not null ? AllureStatus.Broken
        : record.Verdict switch
        {
            CaseVerdicts.Pass => AllureStatus.Passed,
            CaseVerdicts.Fail => AllureStatus.Failed,
            CaseVerdicts.Inconclusive => AllureStatus.Skipped,
            _ => AllureStatus.Broken,
        };

    private List<AllureLabel> Labels(CaseRecord record, IReadOnlyDictionary<string, string> switches)
    {
        var device = record.DeviceSerial ?? "unknown";
        var testClass = $"{_options.Package}.{Identifier(record.BrowserPackage)}";
        var labels = new List<AllureLabel>
        {
            new("epic", record.BrowserPackage),
            new("feature", record.Scenario),
            new("story", record.Mode.Length == 0 ? "default" : record.Mode),
            new("host", device),
            // One case at a time per phone: the phone is the timeline lane.
            new("thread", device),
            // A leak while the browser promises privacy (incognito) is worse than one in normal browsing.
            new("severity", switches.GetValueOrDefault("incognito") == "on" ? "critical" : "normal"),
            new("parentSuite", _options.ParentSuite),
            new("suite", record.BrowserPackage),
            new("subSuite", record.Scenario),
            new("package", _options.Package),
            new("testClass", testClass),
            new("testMethod", Identifier(record.Scenario)),
            new("framework", _options.Framework),
            new("language", "C#"),
            new("tag", record.Verdict),
        };
        if (record.DeviceModel is not null) labels.Add(new("tag", record.DeviceModel));
        labels.AddRange(switches.Where(s => s.Value is "on" or "true").Select(s => new AllureLabel("tag", s.Key)));
        return labels;
    }

    private async Task<AllureAttachment> WriteFindingsAsync(CaseRecord record, CancellationToken ct)
    {
        var source = $"{Guid.NewGuid()}-attachment.json";
        var json = BundleJson.Serialize(new { record.Verdict, record.Reason, record.Findings, record.CoverageGaps });
        await AtomicFile.WriteAllBytesAsync(Path.Combine(ResultsDirectory, source), json, ct);
        return new AllureAttachment("findings", source, "application/json");
    }

    private async Task<AllureAttachment> CopyAttachmentAsync(string sourcePath, string name, string type, CancellationToken ct)
    {
        var extension = Path.GetExtension(sourcePath);
        var target = $"{Guid.NewGuid()}-attachment{extension}";
        await AtomicFile.CopyAsync(sourcePath, Path.Combine(ResultsDirectory, target), ct);
        return new AllureAttachment(name, target, type);
    }

    private static (string Name, string Type) Describe(string relative)
    {
        var file = Path.GetFileName(relative);
        return Path.GetExtension(relative).ToLowerInvariant() switch
        {
            ".har" => ("HAR " + file, "application/json"),
            ".png" => ("screenshot " + file, "image/png"),
            ".jpg" or ".jpeg" => ("screenshot " + file, "image/jpeg"),
            ".xml" => ("UI dump " + file, "application/xml"),
            ".json" => (Path.GetFileNameWithoutExtension(file), "application/json"),
            _ when file.Contains("logcat", StringComparison.OrdinalIgnoreCase) => ("logcat", "text/plain"),
            _ => (file, "text/plain"),
        };
    }

    private static string Description(CaseRecord record)
    {
        var text = new StringBuilder();
        text.AppendLine($"Verdict: **{record.Verdict}**" + (record.Reason is null ? "" : $": {record.Reason}"));
        foreach (var finding in record.Findings)
            text.AppendLine($"- {finding.CanaryKind} → {finding.Host} ({finding.Destination}) in {finding.Location}" +
                            (finding.DecodeChain.Count > 0 ? $" via {string.Join(" > ", finding.DecodeChain)}" : ""));
        foreach (var gap in record.CoverageGaps) text.AppendLine($"- coverage gap: {gap}");
        return text.ToString();
    }

    private static string? Message(CaseRecord record, string status) => status switch
    {
        AllureStatus.Broken => "infrastructure: " + record.InfrastructureError,
        AllureStatus.Skipped => $"{CaseVerdicts.Word(CaseVerdicts.Inconclusive)}: " + (record.Reason ?? "no reason given"),
        AllureStatus.Failed => $"{CaseVerdicts.Word(CaseVerdicts.Fail)}: {record.Findings.Count} finding(s): " +
                               string.Join("; ", record.Findings.Select(f => $"{f.CanaryKind} → {f.Host}").Distinct()),
        _ => record.Reason,
    };

    private static string Identifier(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text) builder.Append(char.IsAsciiLetterOrDigit(c) || c == '.' ? c : '_');
        return builder.ToString();
    }

    private static string EscapeProperty(string text, bool isKey)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '=' or ':' when isKey => "\\" + c,
                ' ' when isKey => "\\ ",
                _ when c > 0x7e => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }
}
