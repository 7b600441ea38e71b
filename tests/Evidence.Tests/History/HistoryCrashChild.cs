using Harness.Evidence.History;
using Harness.Evidence.Records;

namespace Harness.Evidence.Tests.History;

/// <summary>Child-process side of the kill test: three committed cases, a fourth in an open transaction, then wait for SIGKILL.</summary>
internal static class HistoryCrashChild
{
    public static CaseRecord Case(int i, string verdict = CaseVerdicts.Pass) => new()
    {
        CaseId = $"case-{i}", Scenario = "visit-url", BrowserPackage = "com.mi.globalbrowser.mini", BrowserVersion = "1.6.3",
        DeviceSerial = "127.0.0.1:5555", DeviceModel = "Redmi Note 8", Mode = "incognito=on,sync=off", Verdict = verdict,
    };

    public static async Task<int> RunAsync(string db)
    {
        var store = await HistoryStore.OpenAsync(db, CancellationToken.None);
        var run = await store.StartRunAsync(DateTimeOffset.UtcNow, HistoryRunKind.Run, "test", CancellationToken.None);
        for (var i = 1; i <= 3; i++) await store.RecordCaseAsync(run, Case(i), CancellationToken.None);
        await store.BeginAbandonedCaseAsync(run, Case(4), CancellationToken.None);
        await Console.Out.WriteLineAsync("READY");
        await Console.Out.FlushAsync();
        // Blocks until the parent kills us; the store is deliberately never disposed.
        await Console.In.ReadLineAsync();
        return 0;
    }
}
