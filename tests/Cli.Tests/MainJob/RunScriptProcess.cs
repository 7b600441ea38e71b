using System.Diagnostics;
using System.Text;
using Harness.Cli.Tests.Hardening;

namespace Harness.Cli.Tests.MainJob;

/// <summary>
/// `dotnet pwsh ARGS` in the repository root, as a user runs run.ps1 (PowerShell is the repository's local dotnet
/// tool). Outer HARNESS_* settings are removed and <c>environment</c> is applied; each output line is shown as it comes.
/// </summary>
internal static class RunScriptProcess
{
    public static async Task<CliResult> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var repo = BuiltCli.FindRepositoryRoot();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repo,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("pwsh");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("HARNESS_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet pwsh");
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            TestContext.Progress.WriteLine("  run.ps1| " + e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            lock (stdout) throw new TimeoutException($"dotnet pwsh {string.Join(' ', args)} did not finish in {timeout}; output so far:\n{stdout}");
        }
        process.WaitForExit();
        string output;
        lock (stdout) lock (stderr) output = stdout.ToString() + stderr;
        if (process.ExitCode != 0 && (output.Contains("dotnet tool restore", StringComparison.Ordinal) || output.Contains("Could not execute because the specified command or file was not found", StringComparison.Ordinal)))
        {
            var message = "PowerShell is a local dotnet tool: run `dotnet tool restore` first";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
            Assert.Ignore(message);
        }
        lock (stdout) lock (stderr) return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
