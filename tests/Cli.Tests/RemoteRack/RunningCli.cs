using System.Diagnostics;
using Harness.Cli.Tests.Hardening;

namespace Harness.Cli.Tests.RemoteRack;

/// <summary>
/// The built `harness` CLI as a running process whose output lines a test can wait for, to interrupt it at a chosen
/// moment: SIGINT (Ctrl+C) or SIGKILL (a killed run).
/// </summary>
internal sealed class RunningCli : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _stdout = new();
    private readonly System.Text.StringBuilder _stderr = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private RunningCli(Process process) => _process = process;

    public int ProcessId => _process.Id;
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public static RunningCli Start(IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(BuiltCli.DllPath);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        var cli = new RunningCli(Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet"));
        cli._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            TestContext.Progress.WriteLine("  harness| " + e.Data);
            lock (cli._stdout) cli._stdout.AppendLine(e.Data);
            lock (cli._waiters)
                foreach (var (match, seen) in cli._waiters) if (match(e.Data)) seen.TrySetResult(e.Data);
        };
        cli._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (cli._stderr) cli._stderr.AppendLine(e.Data); };
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        cli._process.StandardInput.Close();
        return cli;
    }

    /// <summary>The first output line matching <paramref name="match"/> (fails the test if the process ends first or time runs out).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters) _waiters.Add((match, seen));
        foreach (var line in Stdout.Split('\n')) if (match(line.TrimEnd('\r'))) seen.TrySetResult(line);
        var first = await Task.WhenAny(seen.Task, _process.WaitForExitAsync(), Task.Delay(timeout));
        if (first != seen.Task) Assert.Fail($"the awaited line never came (exited: {_process.HasExited}):\n{Stdout}\n{Stderr}");
        return await seen.Task;
    }

    /// <summary>Ctrl+C: SIGINT to the process, as a terminal sends it.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGKILL: no handler, no finally, nothing released.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
