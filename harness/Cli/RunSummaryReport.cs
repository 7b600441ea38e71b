using System.Text.Json;
using Harness.Core;
using Harness.Scenarios;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// The summary of a run's output folder as people read it (`harness summary`, the end of `harness run` and
/// `harness nightly`, run.ps1): the table, the totals, the phones that could not run, the exit code; also written to
/// OUT/summary.txt.
/// </summary>
internal static class RunSummaryReport
{
    public const string FileName = "summary.txt";
    private const int DetailWidth = 80;

    /// <summary>Prints and writes the summary; returns the run's exit code (the night's with <paramref name="nightly"/>).</summary>
    public static async Task<ExitCode> WriteAsync(CliContext context, string outputDirectory, bool nightly, CancellationToken ct)
    {
        if (!Directory.Exists(outputDirectory)) throw new BadInputException("no such folder (a run's output folder, as run.ps1 -Out or harness run --out wrote it)", outputDirectory);
        var results = Path.Combine(outputDirectory, RunResultLine.FileName);
        if (!File.Exists(results))
        {
            await context.Error.WriteLineAsync($"{results}: missing: the run recorded no result (it did not start, or crashed before its first phone)");
            return ExitCode.Infrastructure;
        }
        var summary = RunSummary.Read(outputDirectory);
        var lines = new List<string> { Render(Table(summary)), "", summary.Totals };
        lines.AddRange(summary.PhoneFailures.Select(f => $"phone {f.Serial}: {f.Reason}"));
        if (!summary.Finished) lines.Add("the run did not finish (no end line in suite-results.jsonl): killed or crashed");
        var exit = summary.ExitCode;
        if (nightly)
        {
            var (regression, counts) = ReadRegression(outputDirectory);
            lines.Add(counts);
            exit = RunExitCodes.Night(regression, exit);
        }
        lines.Add($"exit {(int)exit} ({RunExitCodes.Describe(exit)})");
        var text = string.Join("\n", lines) + "\n";
        await context.Out.WriteAsync(text);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, FileName), text, ct);
        return exit;
    }

    /// <summary>regression.json's code (1 on a new leak) and its counts; a night without one is an infrastructure failure.</summary>
    private static (ExitCode Code, string Counts) ReadRegression(string outputDirectory)
    {
        var path = Path.Combine(outputDirectory, "regression.json");
        if (!File.Exists(path)) return (ExitCode.Infrastructure, $"regression: none ({path} missing)");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            var code = (ExitCode)json.RootElement.GetProperty("exitCode").GetInt32();
            var counts = json.RootElement.GetProperty("counts").EnumerateObject().Select(c => $"{c.Name} {c.Value.GetInt32()}");
            return (code, "regression: " + string.Join(", ", counts));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (ExitCode.Infrastructure, $"regression: {path} unreadable ({e.Message})");
        }
    }

    private static Table Table(RunSummary summary)
    {
        var table = new Table().Title("summary (browser × scenario × mode, worst verdict across phones)").AddColumns("browser", "scenario", "mode", "verdict", "phones", "detail");
        foreach (var row in summary.Rows)
        {
            var detail = row.Detail.Length > DetailWidth ? row.Detail[..(DetailWidth - 1)] + "…" : row.Detail;
            table.AddRow(new[] { row.Browser, row.Scenario, row.Mode, CaseVerdictNames.Word(row.Verdict), row.Phones, detail }.Select(Markup.Escape).ToArray());
        }
        return table;
    }

    private static string Render(Table table)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        // A file and a pipe have no terminal width; 80 columns would wrap every mode name.
        console.Profile.Width = 240;
        console.Write(table);
        return writer.ToString().TrimEnd();
    }
}
