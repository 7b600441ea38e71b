using System.Text;
using Harness.VirtualDevice.Android;

namespace Harness.VirtualDevice.Shell;

/// <summary>Runs parsed command lines against the phone's commands, like /system/bin/sh (mksh) would.</summary>
public sealed class ShellInterpreter(VirtualAndroid android, IReadOnlyDictionary<string, ShellCommand> commands)
{
    private static readonly string[] BinDirectories = ["/system/bin/", "/system/xbin/", "/bin/", "/sbin/", "/vendor/bin/", "/system/sbin/"];

    public VirtualAndroid Android { get; } = android;

    public async Task<int> RunAsync(string script, ShellIo io, ShellSession session, CancellationToken ct)
    {
        try { return await RunScriptAsync(script, io, session, ct).ConfigureAwait(false); }
        catch (ShellExitException exit) { return exit.ExitCode; }
    }

    /// <summary>Runs without catching `exit`, so `exit` inside `sh -c` ends only that shell but `exit` in a list ends the list.</summary>
    private async Task<int> RunScriptAsync(string script, ShellIo io, ShellSession session, CancellationToken ct)
    {
        IReadOnlyList<ShellStep> steps;
        try { steps = ShellParser.Parse(script); }
        catch (ShellSyntaxException e)
        {
            await io.Stderr.WriteAsync(Encoding.UTF8.GetBytes($"/system/bin/sh: {e.Message}\n"), ct).ConfigureAwait(false);
            return 1;
        }
        var status = 0;
        foreach (var step in steps)
        {
            if (step.Connector == ShellConnector.And && status != 0) continue;
            if (step.Connector == ShellConnector.Or && status == 0) continue;
            status = await RunPipelineAsync(step.Pipeline, io, session, ct).ConfigureAwait(false);
        }
        return status;
    }

    private async Task<int> RunPipelineAsync(ShellPipeline pipeline, ShellIo io, ShellSession session, CancellationToken ct)
    {
        var stdin = io.Stdin;
        var status = 0;
        for (var i = 0; i < pipeline.Commands.Count; i++)
        {
            var last = i == pipeline.Commands.Count - 1;
            var captured = last ? null : new MemoryStream();
            var stdout = captured ?? io.Stdout;
            status = await RunCommandAsync(pipeline.Commands[i], new ShellIo(stdin, stdout, io.Stderr), session, ct).ConfigureAwait(false);
            if (captured != null) stdin = new MemoryStream(captured.ToArray());
        }
        return status;
    }

    private async Task<int> RunCommandAsync(ShellSimpleCommand command, ShellIo io, ShellSession session, CancellationToken ct)
    {
        var stdout = io.Stdout;
        var stderr = io.Stderr;
        var files = new List<(string Path, MemoryStream Buffer, bool Append)>();
        foreach (var r in command.Redirects)
        {
            Stream target;
            if (r.Target == "&1") target = stdout;
            else if (r.Target == "&2") target = stderr;
            else if (r.Target == "/dev/null") target = Stream.Null;
            else
            {
                var buffer = new MemoryStream();
                files.Add((r.Target, buffer, r.Append));
                target = buffer;
            }
            if (r.Fd == 1) stdout = target; else stderr = target;
        }
        var status = await RunWordsAsync(command.Words, new ShellIo(io.Stdin, stdout, stderr), session, ct).ConfigureAwait(false);
        foreach (var (path, buffer, append) in files)
        {
            try
            {
                var existing = append && Android.FileSystem.IsFile(path) ? Android.FileSystem.ReadFile(path, session.IsRoot) : [];
                Android.FileSystem.WriteFile(path, [.. existing, .. buffer.ToArray()], session.IsRoot);
            }
            catch (VirtualFileSystemException e)
            {
                await io.Stderr.WriteAsync(Encoding.UTF8.GetBytes($"/system/bin/sh: can't create {path}: {e.Message}\n"), ct).ConfigureAwait(false);
                status = 1;
            }
        }
        return status;
    }

    /// <summary>Runs one command given as words (used by su, sh -c, nsenter and friends).</summary>
    public async Task<int> RunWordsAsync(IReadOnlyList<string> words, ShellIo io, ShellSession session, CancellationToken ct)
    {
        var name = words[0];
        switch (name)
        {
            case "exit":
                throw new ShellExitException(words.Count > 1 && int.TryParse(words[1], out var code) ? code & 0xFF : 0);
            case "exec" when words.Count > 1:
                return await RunWordsAsync(words.Skip(1).ToList(), io, session, ct).ConfigureAwait(false);
            case "export" or "exec" or "cd" or "umask" or ":":
                // The environment and working directory are not modelled; adb's own `export ANDROID_LOG_TAGS=…; exec logcat` must still work.
                return 0;
            case "sh" when words.Count >= 3 && words[1] == "-c":
                return await RunAsync(words[2], io, session, ct).ConfigureAwait(false);
            case "sh" when words.Count >= 2 && words[1] != "-c":
                var scriptBytes = Android.FileSystem.IsFile(words[1]) ? Android.FileSystem.ReadFile(words[1], session.IsRoot) : null;
                if (scriptBytes == null)
                {
                    await io.Stderr.WriteAsync(Encoding.UTF8.GetBytes($"sh: {words[1]}: No such file or directory\n"), ct).ConfigureAwait(false);
                    return 127;
                }
                return await RunAsync(Encoding.UTF8.GetString(scriptBytes), io, session, ct).ConfigureAwait(false);
        }
        foreach (var dir in BinDirectories)
        {
            if (name.StartsWith(dir, StringComparison.Ordinal)) { name = name[dir.Length..]; break; }
        }
        if (!commands.TryGetValue(name, out var program) || (name == "su" && !Android.Profile.Rooted))
        {
            await io.Stderr.WriteAsync(Encoding.UTF8.GetBytes($"/system/bin/sh: {words[0]}: not found\n"), ct).ConfigureAwait(false);
            return 127;
        }
        var args = words.ToArray();
        args[0] = name;
        try
        {
            return await program(new ShellInvocation(args, io, session, Android, this), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ShellExitException and not IOException)
        {
            // A real program prints its complaint and exits non-zero; it does not take the shell down.
            await io.Stderr.WriteAsync(Encoding.UTF8.GetBytes($"{name}: {e.Message}\n"), ct).ConfigureAwait(false);
            return 1;
        }
    }
}
