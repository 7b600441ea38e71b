using System.CommandLine;
using Harness.Core;
using Harness.Evidence.Bundles;
using Harness.Evidence.History;

namespace Harness.Cli.Commands;

/// <summary>`harness history [--db FILE] [--browser B] [--json]`: runs and their cases from the history database.</summary>
public sealed class HistoryCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var db = new Option<string?>("--db") { Description = "History database (default results/history.db)." };
        var browser = new Option<string?>("--browser") { Description = "Only cases of this browser package." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("history", "List recorded runs and their cases: device, browser version, scenario, mode, verdict, findings.");
        command.Options.Add(db);
        command.Options.Add(browser);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(db) ?? HistoryStore.DefaultPath;
            if (!File.Exists(path)) throw new BadInputException("no history database here yet (it is created by the first run)", path);
            await using var store = await HistoryStore.OpenAsync(path, ct);
            var runs = await store.ListRunsAsync(ct);
            var cases = await store.ListCasesAsync(new HistoryQuery { Browser = parse.GetValue(browser) }, ct);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(BundleJson.Serialize(new
                {
                    Runs = runs.Where(r => cases.Any(c => c.RunId == r.Id)),
                    Cases = cases,
                })));
                return 0;
            }
            foreach (var run in runs)
            {
                var ofRun = cases.Where(c => c.RunId == run.Id).ToList();
                if (ofRun.Count == 0) continue;
                await context.Out.WriteLineAsync($"run {run.Id} ({run.Kind}) started {run.StartedUtc:u} ended {(run.EndedUtc is { } e ? e.ToString("u") : "(interrupted)")} harness {run.HarnessVersion}");
                foreach (var c in ofRun)
                    await context.Out.WriteLineAsync($"  {c.Verdict,-12} {c.Browser} {c.BrowserVersion} | {c.Scenario} | {c.Mode} | {c.Model ?? "-"} {c.Device}" +
                                                     (c.FindingSummary.Length > 0 ? $" | {c.FindingSummary}" : ""));
            }
            return 0;
        });
        return command;
    }
}
