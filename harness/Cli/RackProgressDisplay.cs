using Harness.Scenarios;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// Shows a <see cref="RackRunner"/>'s progress: a line per event (cases started and judged, phones prepared, lost and
/// restored), and, on a terminal, a live bar per phone under those lines with its case count, current case and time.
/// Logs and pipes get the lines alone: redrawn bars would only fill them with escape codes.
/// </summary>
internal sealed class RackProgressDisplay(IAnsiConsole console, bool live)
{
    private readonly object _gate = new();

    public async Task<RackRunResult> RunAsync(RackRunner runner, Func<CancellationToken, Task<RackRunResult>> run, CancellationToken ct)
    {
        if (!live)
        {
            void Line(RackProgress p)
            {
                lock (_gate) console.MarkupLine(EventLine(p));
            }
            runner.Progress += Line;
            try { return await run(ct); }
            finally { runner.Progress -= Line; }
        }

        return await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                void Update(RackProgress p)
                {
                    lock (_gate)
                    {
                        console.MarkupLine(EventLine(p));
                        var serial = Markup.Escape(p.Serial);
                        if (!bars.TryGetValue(p.Serial, out var bar))
                            bars[p.Serial] = bar = context.AddTask($"[blue]{serial}[/] preparing", maxValue: Math.Max(1, p.PlannedCases));
                        switch (p.Kind)
                        {
                            case RackProgressKind.DevicePrepared:
                                bar.MaxValue = Math.Max(1, p.PlannedCases);
                                bar.Description = $"[blue]{serial}[/] 0/{p.PlannedCases}";
                                break;
                            case RackProgressKind.CaseStarted:
                                bar.Description = $"[blue]{serial}[/] {bar.Value:0}/{bar.MaxValue:0} {Markup.Escape(p.Case!.Scenario.Name)} / {Markup.Escape(p.Case.Browser.Id)} / {Markup.Escape(p.Case.Mode.Name)}";
                                break;
                            case RackProgressKind.CaseFinished:
                                bar.Increment(1);
                                bar.Description = $"[blue]{serial}[/] {bar.Value:0}/{bar.MaxValue:0} last: {VerdictMarkup(p.Result!.Verdict)}";
                                break;
                            case RackProgressKind.DeviceFailed:
                                bar.Description = $"[blue]{serial}[/] [red]lost[/] after {bar.Value:0}/{bar.MaxValue:0}";
                                bar.StopTask();
                                break;
                            case RackProgressKind.DeviceRestored:
                                bar.Description = $"[blue]{serial}[/] {bar.Value:0}/{bar.MaxValue:0} done, {(p.Message is null ? "restored" : "[red]restore problems[/]")}";
                                bar.StopTask();
                                break;
                        }
                    }
                }
                runner.Progress += Update;
                try { return await run(ct); }
                finally { runner.Progress -= Update; }
            });
    }

    public static string EventLine(RackProgress p)
    {
        var serial = Markup.Escape(p.Serial);
        return p.Kind switch
        {
            RackProgressKind.DevicePrepared => $"[blue]{serial}[/] prepared: {p.PlannedCases} case(s){(p.Message is null ? "" : $" [yellow](limit: {Markup.Escape(p.Message)})[/]")}",
            RackProgressKind.CaseStarted => $"[blue]{serial}[/] [grey]start[/]  {Markup.Escape(p.Case!.ToString())}",
            RackProgressKind.CaseFinished => $"[blue]{serial}[/] {VerdictMarkup(p.Result!.Verdict)} {Markup.Escape(p.Case!.Scenario.Name)} / {Markup.Escape(p.Case.Browser.Id)} {Markup.Escape(p.Result.BrowserVersion ?? "")} / {Markup.Escape(p.Case.Mode.Name)}: {Markup.Escape(p.Result.Reason)}",
            RackProgressKind.DeviceFailed => $"[blue]{serial}[/] [red]failed:[/] {Markup.Escape(p.Message ?? "")}",
            RackProgressKind.DeviceRestored => $"[blue]{serial}[/] restored{(p.Message is null ? "" : $" [red]with problems: {Markup.Escape(p.Message)}[/]")}{(p.Note is null ? "" : $" [grey](note: {Markup.Escape(p.Note)})[/]")}",
            _ => serial,
        };
    }

    public static string VerdictMarkup(CaseVerdict verdict) => verdict switch
    {
        CaseVerdict.Pass => "[green]pass[/]",
        CaseVerdict.Fail => "[red bold]LEAK[/]",
        CaseVerdict.Inconclusive => "[yellow]inconclusive[/]",
        _ => "[grey]n/a[/]",
    };
}
