using System.Diagnostics;
using System.Text;

namespace Harness.Cli.Tests.Hardening;

/// <summary>
/// Runs the built `harness` CLI as a user would (`dotnet harness.dll ARGS`) in its own process, so exit codes, stderr
/// and the absence of stack traces are what a user sees. The dll is the one this test project was built with (copied
/// beside the tests by the project reference), else harness/Cli/bin/{Release,Debug}/net10.0, the newest first.
/// </summary>
internal static class BuiltCli
{
    public static string DllPath { get; } = Locate();

    private static string Locate()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "harness.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "harness.runtimeconfig.json"))) return beside;
        var repo = FindRepositoryRoot();
        var candidates = new[] { "Release", "Debug" }
            .Select(c => new FileInfo(Path.Combine(repo, "harness", "Cli", "bin", c, "net10.0", "harness.dll")))
            .Where(f => f.Exists)
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .ToList();
        if (candidates.Count == 0)
            throw new InvalidOperationException($"harness.dll not found beside the tests nor under {repo}/harness/Cli/bin: build harness/Cli first");
        return candidates[0].FullName;
    }

    public static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Harness.sln above {AppContext.BaseDirectory}");
    }

    public static async Task<CliResult> RunAsync(IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (environment is not null)
            foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"harness {string.Join(' ', args)} did not exit in time; stderr so far: {Truncate(await stderr)}");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
}
