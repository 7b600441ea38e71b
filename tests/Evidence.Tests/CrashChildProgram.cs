using Harness.Evidence.Tests.History;

namespace Harness.Evidence.Tests;

/// <summary>
/// Entry point of this test assembly when run as a child process (`dotnet exec Harness.Evidence.Tests.dll history-crash-child DB`):
/// writes a run with three committed cases and a fourth uncommitted one, says READY, and waits to be killed.
/// The test host never calls it.
/// </summary>
public static class CrashChildProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["history-crash-child", var db]) return await HistoryCrashChild.RunAsync(db);
        await Console.Error.WriteLineAsync("usage: history-crash-child DB");
        return 2;
    }
}
