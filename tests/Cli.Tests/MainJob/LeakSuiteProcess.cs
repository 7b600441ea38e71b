using System.Diagnostics;
using System.Text;
using Harness.Cli.Tests.Hardening;

namespace Harness.Cli.Tests.MainJob;

/// <summary>
/// Runs the NUnit leak suite (tests/LeakSuite) the way run.ps1 does: `dotnet test Harness.LeakSuite.dll` in its own
/// process, configured through HARNESS_* variables. The dll is built once per test process when it is missing.
/// </summary>
internal static class LeakSuiteProcess
{
    private static readonly SemaphoreSlim BuildGate = new(1, 1);

    public static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static async Task<string> LocateOrBuildAsync()
    {
        var repo = BuiltCli.FindRepositoryRoot();
        var dll = Path.Combine(repo, "tests", "LeakSuite", "bin", Configuration, "net10.0", "Harness.LeakSuite.dll");
        await BuildGate.WaitAsync();
        try
        {
            if (File.Exists(dll)) return dll;
            var build = await RunAsync("dotnet", ["build", Path.Combine(repo, "tests", "LeakSuite", "Harness.LeakSuite.csproj"), "-c", Configuration, "-nologo", "-v", "q"],
                repo, new Dictionary<string, string>(), _ => { }, TimeSpan.FromMinutes(10));
            if (build.ExitCode != 0 || !File.Exists(dll))
                throw new InvalidOperationException($"building tests/LeakSuite failed: {build}");
            return dll;
        }
        finally
        {
            BuildGate.Release();
        }
    }

    /// <summary>Runs the suite with a filter; <paramref name="onLine"/> sees its console output line by line as it comes.</summary>
    public static async Task<CliResult> RunSuiteAsync(string filter, string resultsDirectory, IReadOnlyDictionary<string, string> environment, Action<string> onLine, TimeSpan timeout)
    {
        var dll = await LocateOrBuildAsync();
        return await RunAsync("dotnet",
            ["test", dll, "--filter", filter, "--logger", "trx;LogFileName=suite.trx", "--logger", "console;verbosity=normal",
             "--results-directory", resultsDirectory, "--", "NUnit.NumberOfTestWorkers=4"],
            BuiltCli.FindRepositoryRoot(), environment, onLine, timeout);
    }

    private static async Task<CliResult> RunAsync(string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        Action<string> onLine, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The outer test run's own settings must not leak into the inner one.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("HARNESS_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            onLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            lock (stdout) throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish in {timeout}; output so far:\n{stdout}");
        }
        process.WaitForExit();
        lock (stdout) lock (stderr) return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
