using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Harness.Core;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;

namespace Harness.Cli.Commands;

/// <summary>
/// `harness virtual-rack`: starts N virtual phones on loopback, `adb connect`s each through the adb server (with the adb
/// executable, like a QA engineer would), prints their serials and keeps them up until Ctrl+C / SIGTERM.
/// </summary>
public sealed class VirtualRackCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var count = new Option<int>("--count") { Description = "How many phones to start (models rotate through the built-in list).", DefaultValueFactory = _ => 1 };
        var basePort = new Option<int>("--base-port") { Description = "Port of the first phone on 127.0.0.1; the others follow. 0 picks free ports.", DefaultValueFactory = _ => 0 };
        var adb = new Option<string>("--adb") { Description = "adb server HOST:PORT (loopback only).", DefaultValueFactory = _ => "127.0.0.1:5037" };
        var models = new Option<string?>("--models") { Description = "Comma-separated models, e.g. \"Redmi Note 8,Mi 10\" (default: all built-in: " + string.Join(", ", PhoneProfile.BuiltIn.Select(p => p.DisplayName)) + ")." };
        var command = new Command("virtual-rack", "Start virtual phones and attach them to the adb server until stopped.");
        command.Options.Add(count);
        command.Options.Add(basePort);
        command.Options.Add(adb);
        command.Options.Add(models);
        command.SetAction(async (parse, ct) => await RunAsync(context, parse.GetValue(count), parse.GetValue(basePort), parse.GetValue(adb)!, parse.GetValue(models), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, int count, int basePort, string adbEndpoint, string? modelList, CancellationToken ct)
    {
        if (count < 1) throw new BadInputException("must be at least 1", field: "--count");
        if (basePort < 0 || basePort + count - 1 > 65535) throw new BadInputException($"{basePort} leaves no room for {count} ports", field: "--base-port");
        var (adbHost, adbPort) = ParseAdbEndpoint(adbEndpoint);
        var profiles = (modelList ?? string.Join(',', PhoneProfile.BuiltIn.Select(p => p.DisplayName)))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => PhoneProfile.FindBuiltIn(m) ?? throw new BadInputException($"unknown model '{m}'; known: {string.Join(", ", PhoneProfile.BuiltIn.Select(p => p.DisplayName))}", field: "--models"))
            .ToList();
        if (profiles.Count == 0) throw new BadInputException("no models given", field: "--models");
        var adbPath = LocateAdb() ?? throw new InvalidOperationException("`adb` is not on PATH: install it with `apt-get install adb`");

        var phones = new List<VirtualPhone>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var profile = profiles[i % profiles.Count];
                var phone = await VirtualPhone.StartAsync(profile, new VirtualPhoneOptions { Port = basePort == 0 ? 0 : basePort + i }, ct);
                phones.Add(phone);
                var (exit, output) = await RunAdbAsync(adbPath, adbHost, adbPort, ct, "connect", phone.Serial);
                if (exit != 0 || !output.Contains("connected to", StringComparison.Ordinal) || output.Contains("failed", StringComparison.Ordinal))
                    throw new InvalidOperationException($"`adb connect {phone.Serial}` failed: {output.Trim()}");
                await context.Out.WriteLineAsync($"{phone.Serial}\t{profile.DisplayName}\tAndroid {profile.Release} (SDK {profile.Sdk}){(profile.Rooted ? "\trooted" : "")}");
            }
            await context.Out.WriteLineAsync($"{phones.Count} virtual phone(s) attached to adb at {adbHost}:{adbPort}; press Ctrl+C to stop.");
            await context.Out.FlushAsync(CancellationToken.None);
            // Own the signals so the phones are disconnected before the process exits, however long adb takes.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            void OnSignal(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
            }
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            try { await Task.Delay(Timeout.Infinite, stop.Token); }
            catch (OperationCanceledException) { }
            await context.Out.WriteLineAsync("stopping: disconnecting the virtual phones");
            return (int)ExitCode.AllPass;
        }
        finally
        {
            foreach (var phone in phones)
            {
                try { await RunAdbAsync(adbPath, adbHost, adbPort, CancellationToken.None, "disconnect", phone.Serial); }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { await context.Error.WriteLineAsync($"disconnect {phone.Serial}: {e.Message}"); }
                await phone.DisposeAsync();
            }
        }
    }

    private static (string Host, int Port) ParseAdbEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint[(colon + 1)..], out var port) || port is < 1 or > 65535)
            throw new BadInputException($"'{endpoint}' is not HOST:PORT", field: "--adb");
        var host = endpoint[..colon];
        // The rack only ever talks to loopback: an adb server elsewhere would put phones on a real network.
        if (host != "localhost" && !(IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)))
            throw new BadInputException($"'{host}' is not a loopback address", field: "--adb");
        return (host, port);
    }

    private static string? LocateAdb()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "adb.exe" : "adb");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static async Task<(int ExitCode, string Output)> RunAdbAsync(string adbPath, string host, int port, CancellationToken ct, params string[] args)
    {
        var info = new ProcessStartInfo(adbPath) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "-H", host, "-P", port.ToString() }.Concat(args)) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {adbPath}");
        process.StandardInput.Close();
        // If this call starts the adb server, the daemon inherits our pipes: wait for the launcher to exit, not for EOF.
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        lock (output) return (process.ExitCode, output.ToString());
    }
}
