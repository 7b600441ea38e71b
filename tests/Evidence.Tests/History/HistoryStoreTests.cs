using System.Diagnostics;
using Harness.Core;
using Harness.Evidence.History;
using Harness.Evidence.Records;

namespace Harness.Evidence.Tests.History;

public sealed class HistoryStoreTests
{
    private string _dir = null!;

    [SetUp] public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "history-" + Guid.NewGuid().ToString("N")));
    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Runs_and_cases_are_recorded_and_filtered_by_browser()
    {
        var db = Path.Combine(_dir, "results", "history.db");
        await using (var store = await HistoryStore.OpenAsync(db, CancellationToken.None))
        {
            var run = await store.StartRunAsync(DateTimeOffset.Parse("2026-11-24T01:00:00Z"), HistoryRunKind.Nightly, "1.0", CancellationToken.None);
            await store.RecordCaseAsync(run, HistoryCrashChild.Case(1) with
            {
                Verdict = CaseVerdicts.Fail,
                Findings =
                [
                    new FindingRecord { FlowId = "f1", Host = "tracking.intl.miui.com", CanaryKind = "url", Location = "request.url" },
                    new FindingRecord { FlowId = "f2", Host = "tracking.intl.miui.com", CanaryKind = "url", Location = "request.body" },
                ],
            }, CancellationToken.None);
            await store.RecordCaseAsync(run, HistoryCrashChild.Case(2) with { BrowserPackage = "com.android.browser" }, CancellationToken.None);
            await store.EndRunAsync(run, DateTimeOffset.Parse("2026-11-24T01:30:00Z"), CancellationToken.None);
        }

        await using var reopened = await HistoryStore.OpenAsync(db, CancellationToken.None);
        var runs = await reopened.ListRunsAsync(CancellationToken.None);
        Assert.That(runs.Single().Kind, Is.EqualTo("nightly"));
        Assert.That(runs.Single().EndedUtc, Is.EqualTo(DateTimeOffset.Parse("2026-11-24T01:30:00Z")));
        var mint = await reopened.ListCasesAsync(new HistoryQuery { Browser = "com.mi.globalbrowser.mini" }, CancellationToken.None);
        Assert.That(mint.Single().Verdict, Is.EqualTo("fail"));
        Assert.That(mint.Single().FindingSummary, Is.EqualTo("tracking.intl.miui.com:url ×2"));
        Assert.That(mint.Single().FindingKeys, Is.EqualTo(new[] { "tracking.intl.miui.com:url" }));
        Assert.That(mint.Single().Model, Is.EqualTo("Redmi Note 8"));
        Assert.That(await reopened.ListCasesAsync(new HistoryQuery(), CancellationToken.None), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task The_history_survives_a_process_killed_midway()
    {
        var db = Path.Combine(_dir, "history.db");
        var testAssembly = typeof(HistoryCrashChild).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "exec", testAssembly, "history-crash-child", db }) start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string? line;
        try
        {
            line = await child.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }
        if (line != "READY")
        {
            child.Kill(entireProcessTree: true);
            Assert.Fail($"child did not get ready (said '{line}'): {await child.StandardError.ReadToEndAsync()}");
        }
        child.Kill(entireProcessTree: true); // SIGKILL on Unix: no disposal, no rollback, no checkpoint
        await child.WaitForExitAsync();

        await using var store = await HistoryStore.OpenAsync(db, CancellationToken.None);
        Assert.That(await store.IntegrityCheckAsync(CancellationToken.None), Is.EqualTo("ok"));
        var cases = await store.ListCasesAsync(new HistoryQuery(), CancellationToken.None);
        Assert.That(cases.Select(c => c.CaseId), Is.EqualTo(new[] { "case-1", "case-2", "case-3" }));
        Assert.That((await store.ListRunsAsync(CancellationToken.None)).Single().EndedUtc, Is.Null, "the killed run stays visibly unfinished");
    }

    [Test]
    public void A_file_that_is_not_a_database_is_bad_input()
    {
        var db = Path.Combine(_dir, "junk.db");
        File.WriteAllText(db, new string('x', 4096));
        Assert.ThrowsAsync<BadInputException>(() => HistoryStore.OpenAsync(db, CancellationToken.None));
    }
}
