using Harness.Scenarios;

namespace Harness.LeakSuite;

/// <summary>The suite's console: each phone and case event as its one line (<see cref="RackEventText"/>) on NUnit's progress stream, which run.ps1 shows.</summary>
public sealed class NUnitProgressSink : IRackRunSink
{
    public Task RunStartedAsync(RackRunInfo run, CancellationToken ct)
    {
        foreach (var recovered in run.Recovered) TestContext.Progress.WriteLine($"recovered {recovered.Serial}: {recovered.Detail}");
        return Task.CompletedTask;
    }

    public Task PhoneEventAsync(RackRunInfo run, RackProgress progress, CancellationToken ct)
    {
        TestContext.Progress.WriteLine(RackEventText.Line(progress));
        return Task.CompletedTask;
    }
}
