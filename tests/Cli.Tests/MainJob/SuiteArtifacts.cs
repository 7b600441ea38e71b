using System.Text.Json;
using System.Xml.Linq;

namespace Harness.Cli.Tests.MainJob;

/// <summary>What one suite run left in its output folder, read back for assertions.</summary>
internal sealed class SuiteArtifacts
{
    private SuiteArtifacts(string output, IReadOnlyList<JsonElement> cases, IReadOnlyList<JsonElement> devices, IReadOnlyList<TrxResult> trx)
    {
        Output = output;
        Cases = cases;
        DeviceFailures = devices;
        Trx = trx;
    }

    public string Output { get; }
    public string AllureResults => Path.Combine(Output, "allure-results");
    public IReadOnlyList<JsonElement> Cases { get; }
    public IReadOnlyList<JsonElement> DeviceFailures { get; }
    public IReadOnlyList<TrxResult> Trx { get; }

    public static SuiteArtifacts Read(string output, string trxDirectory)
    {
        var log = Path.Combine(output, "suite-results.jsonl");
        var lines = File.Exists(log)
            ? File.ReadAllLines(log).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList()
            : [];
        var trxFile = Directory.EnumerateFiles(trxDirectory, "*.trx", SearchOption.AllDirectories).FirstOrDefault()
                      ?? throw new AssertionException($"no TRX file under {trxDirectory}");
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var trx = XDocument.Load(trxFile).Descendants(ns + "UnitTestResult").Select(r => new TrxResult(
            (string)r.Attribute("testName")!,
            (string)r.Attribute("outcome")!,
            r.Descendants(ns + "Message").FirstOrDefault()?.Value ?? "",
            r.Descendants(ns + "StdOut").FirstOrDefault()?.Value ?? "")).ToList();
        return new SuiteArtifacts(output, lines.Where(l => l.GetProperty("kind").GetString() == "case").ToList(),
            lines.Where(l => l.GetProperty("kind").GetString() == "device").ToList(), trx);
    }

    public static string TestName(JsonElement line) =>
        $"{line.GetProperty("scenario").GetString()} [{line.GetProperty("browser").GetString()}, {line.GetProperty("mode").GetString()}] @ {line.GetProperty("serial").GetString()}";

    public JsonElement Case(string serial, string scenario, string browser, string modeContains) =>
        Cases.Single(c => c.GetProperty("serial").GetString() == serial && c.GetProperty("scenario").GetString() == scenario
                          && c.GetProperty("browser").GetString() == browser && c.GetProperty("mode").GetString()!.Contains(modeContains, StringComparison.Ordinal));

    public IReadOnlyList<JsonElement> AllureResultDocuments() =>
        Directory.EnumerateFiles(AllureResults, "*-result.json").Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.Clone()).ToList();
}
