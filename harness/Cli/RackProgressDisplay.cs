using Harness.Scenarios;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>
/// The console sink of a rack run: a line per event (cases started and judged, phones prepared, lost and restored,
/// the text of <see cref="RackEventText"/>), and, on a terminal, a live bar per phone under those lines with its case
/// count, current case and time. Logs and pipes get the lines alone: redrawn bars would only fill them with escape codes.
/// </summary>
internal sealed class RackProgressDisplay(IAnsiConsole console, bool live) : IRackRunSink
{
    /// <summary>
    /// The display for <paramref name="output"/>: live bars when asked for ("live"), or for "auto" on a terminal;
    /// plain lines otherwise.
    /// </summary>
    public static RackProgressDisplay Create(TextWriter output, string progressMode)
    {
        var toTerminal = !System.Console.IsOutputRedirected && ReferenceEquals(output, System.Console.Out);
        var live = progressMode == "live" || (progressMode == "auto" && toTerminal);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            // Asked for live bars in a pipe (a test, `script`): draw them there too.
            Interactive = live ? InteractionSupport.Yes : InteractionSupport.Detect,
            Ansi = live ? AnsiSupport.Yes : AnsiSupport.Detect,
        });
        // Redirected output (CI logs, run.ps1) has no terminal width; 80 columns would wrap every mode name.
        if (!toTerminal) console.Profile.Width = Math.Max(console.Profile.Width, 160);
        return new RackProgressDisplay(console, live);
    }

    public IAnsiConsole Console { get; } = console;

    private readonly Dictionary<string, ProgressTask> _bars = new(StringComparer.Ordinal);
    private ProgressContext? _context;

    /// <summary>Runs <paramref name="run"/> under the live bars (when live); the events arrive through the sink methods.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> run)
    {
        if (!live) return await run();
        return await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                _context = context;
                try { return await run(); }
                finally { _context = null; }
            });
    }

    public Task RunStartedAsync(RackRunInfo run, CancellationToken ct)
    {
        foreach (var recovered in run.Recovered)
            console.MarkupLine($"[yellow]recovered[/] {Markup.Escape(recovered.Serial)}: {Markup.Escape(recovered.Detail)}");
        return Task.CompletedTask;
    }

    public Task PhoneEventAsync(RackRunInfo run, RackProgress p, CancellationToken ct)
    {
        console.MarkupLine($"[{Colour(p)}]{Markup.Escape(RackEventText.Line(p))}[/]");
        if (_context is { } context) UpdateBar(context, p);
        return Task.CompletedTask;
    }

    private void UpdateBar(ProgressContext context, RackProgress p)
    {
        var serial = Markup.Escape(p.Serial);
        if (!_bars.TryGetValue(p.Serial, out var bar))
            _bars[p.Serial] = bar = context.AddTask($"[blue]{serial}[/] preparing", maxValue: Math.Max(1, p.PlannedCases));
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
                bar.Description = $"[blue]{serial}[/] {bar.Value:0}/{bar.MaxValue:0} last: [{Colour(p)}]{CaseVerdictNames.Word(p.Result!.Verdict)}[/]";
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

    private static string Colour(RackProgress p) => p.Kind switch
    {
        RackProgressKind.CaseFinished => p.Result!.Verdict switch
        {
            CaseVerdict.Pass => "green",
            CaseVerdict.Fail => "red bold",
            CaseVerdict.Inconclusive => "yellow",
            _ => "grey",
        },
        RackProgressKind.DeviceFailed => "red",
        RackProgressKind.DeviceRestored when p.Message is not null => "red",
        RackProgressKind.CaseStarted => "grey",
        _ => "blue",
    };
}
