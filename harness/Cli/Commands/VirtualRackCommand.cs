using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Harness.Core;
using Harness.Scenarios;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Network.Internet;
using Harness.VirtualDevice.Rack;

namespace Harness.Cli.Commands;

/// <summary>
/// `harness virtual-rack`: starts virtual phones on loopback (N of them, or the "virtual" entries of devices.json with
/// their browsers preinstalled), `adb connect`s each through the adb server (with the adb executable, like a QA engineer
/// would), prints their serials, then a line "ready" (and writes --ready-file, with READY.upstream.json beside it: where the rack's
/// local internet listens and its root CA, for runs to forward to), and keeps them up until Ctrl+C / SIGTERM.
/// </summary>
public sealed class VirtualRackCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var count = new Option<int>("--count") { Description = "How many phones to start (models rotate through the built-in list).", DefaultValueFactory = _ => 1 };
        var basePort = new Option<int>("--base-port") { Description = "Port of the first phone on 127.0.0.1; the others follow. 0 picks free ports.", DefaultValueFactory = _ => 0 };
        var adb = new Option<string?>("--adb") { Description = "adb server HOST:PORT (loopback only); default: the \"adb\" of --devices, else 127.0.0.1:5037." };
        var models = new Option<string?>("--models") { Description = "Comma-separated models, e.g. \"Redmi Note 8,Mi 10\" (default: all built-in: " + string.Join(", ", PhoneProfile.BuiltIn.Select(p => p.DisplayName)) + ")." };
        var devices = new Option<string?>("--devices") { Description = "devices.json: start its \"virtual\" entries (model, port, rooted, locale, apps such as \"mint@3.4.0\", timeFactor) instead of --count." };
        var readyFile = new Option<string?>("--ready-file") { Description = "Written (with one serial per line) once every phone is attached, so a script can wait for it; removed on exit." };
        var timeFactor = new Option<double>("--time-factor") { Description = "Scales app timers such as the 15 s telemetry flush (with --count; devices.json sets it per phone).", DefaultValueFactory = _ => 1.0 };
        var listen = new Option<string?>("--listen") { Description = "Address the phones and their local internet listen on (default 127.0.0.1); e.g. a network namespace's address, standing in for phones on another host." };
        var noConnect = new Option<bool>("--no-connect") { Description = "Do not `adb connect` the phones: they wait, like phones with wireless debugging on, for a run whose rack file names them with \"connect\"." };
        var command = new Command("virtual-rack", "Start virtual phones and attach them to the adb server until stopped.");
        command.Options.Add(count);
        command.Options.Add(basePort);
        command.Options.Add(adb);
        command.Options.Add(models);
        command.Options.Add(devices);
        command.Options.Add(readyFile);
        command.Options.Add(timeFactor);
        command.Options.Add(listen);
        command.Options.Add(noConnect);
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(devices);
            var specs = file is not null
                ? VirtualRackFile.Parse(await ReadDevicesFileAsync(file, ct), file)
                : CountSpecs(parse.GetValue(count), parse.GetValue(basePort), parse.GetValue(models), parse.GetValue(timeFactor));
            // The phones go to the adb server the rack file names, the one `harness run --devices` will ask.
            var endpoint = parse.GetValue(adb) ?? (file is null ? null : RackFile.Load(file).AdbEndpoint) ?? "127.0.0.1:5037";
            var address = IPAddress.Loopback;
            if (parse.GetValue(listen) is { } text && !IPAddress.TryParse(text, out address))
                throw new BadInputException($"'{text}' is not an IP address", field: "--listen");
            return await RunAsync(context, specs, endpoint, parse.GetValue(readyFile), address!, !parse.GetValue(noConnect), ct);
        });
        return command;
    }

    private static async Task<string> ReadDevicesFileAsync(string file, CancellationToken ct)
    {
        try { return await File.ReadAllTextAsync(file, ct); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new BadInputException($"cannot read: {e.Message}", file, inner: e); }
    }

    private static IReadOnlyList<VirtualPhoneSpec> CountSpecs(int count, int basePort, string? modelList, double timeFactor)
    {
        if (count < 1) throw new BadInputException("must be at least 1", field: "--count");
        if (basePort < 0 || basePort + count - 1 > 65535) throw new BadInputException($"{basePort} leaves no room for {count} ports", field: "--base-port");
        if (timeFactor <= 0 || timeFactor > 100) throw new BadInputException("must be above 0 (1 = real time)", field: "--time-factor");
        var profiles = (modelList ?? string.Join(',', PhoneProfile.BuiltIn.Select(p => p.DisplayName)))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => PhoneProfile.FindBuiltIn(m) ?? throw new BadInputException($"unknown model '{m}'; known: {string.Join(", ", PhoneProfile.BuiltIn.Select(p => p.DisplayName))}", field: "--models"))
            .ToList();
        if (profiles.Count == 0) throw new BadInputException("no models given", field: "--models");
        return Enumerable.Range(0, count)
            .Select(i => new VirtualPhoneSpec(profiles[i % profiles.Count].DisplayName, basePort == 0 ? 0 : basePort + i, null, null, [], timeFactor))
            .ToList();
    }

    private static async Task<int> RunAsync(CliContext context, IReadOnlyList<VirtualPhoneSpec> specs, string adbEndpoint, string? readyFile, IPAddress listenAddress,
        bool connect, CancellationToken ct)
    {
        if (specs.Count == 0) throw new BadInputException("no virtual phones to start (no \"virtual\" entries)", field: "devices");
        var (adbHost, adbPort) = ParseAdbEndpoint(adbEndpoint);
        var adbPath = !connect ? "" : LocateAdb() ?? throw new InvalidOperationException("`adb` is not on PATH: install it with `apt-get install adb`");

        var phones = new List<VirtualPhone>();
        string[] published = [];
        await using var rack = await VirtualRack.StartAsync(specs, ct, listenAddress);
        // Own the signals from here to the end, so the phones are disconnected before the process exits, however long
        // adb takes (a second Ctrl-C still ends it at once).
        using var stop = new StopSignal(ct);
        try
        {
            foreach (var phone in rack.Phones)
            {
                var profile = phone.Profile;
                if (!connect)
                {
                    await context.Out.WriteLineAsync($"{phone.Serial}\t{profile.DisplayName}\tAndroid {profile.Release} (SDK {profile.Sdk})\twaiting for adb connect");
                    continue;
                }
                phones.Add(phone);
                var (exit, output) = await RunAdbAsync(adbPath, adbHost, adbPort, ct, "connect", phone.Serial);
                if (exit != 0 || !output.Contains("connected to", StringComparison.Ordinal) || output.Contains("failed", StringComparison.Ordinal))
                    throw new InvalidOperationException($"`adb connect {phone.Serial}` failed: {output.Trim()}");
                var apps = string.Join(",", phone.Android.Packages.All.Where(p => !p.IsSystem).Select(p => $"{p.PackageName}@{p.Manifest.VersionName}"));
                await context.Out.WriteLineAsync($"{phone.Serial}\t{profile.DisplayName}\tAndroid {profile.Release} (SDK {profile.Sdk})\t{(profile.Rooted ? "rooted" : "unrooted")}\t{profile.Locale}\t{apps}");
            }
            await context.Out.WriteLineAsync(connect
                ? $"{phones.Count} virtual phone(s) attached to adb at {adbHost}:{adbPort}; press Ctrl+C to stop."
                : $"{rack.Phones.Count} virtual phone(s) listening for adb connect on {listenAddress}; press Ctrl+C to stop.");
            await context.Out.WriteLineAsync($"local internet at {rack.Internet.EndPoint}: every host name, certificates from the rack's own root");
            if (readyFile != null)
            {
                // Published before the ready file, so whoever sees "ready" can forward to this lab: a run takes the
                // file as the rack's connect-to and extra CA, as for any lab with split DNS and its own CA.
                var (upstreamFile, caFile) = VirtualInternetPublication.Write(rack.Internet, UpstreamFileBeside(readyFile));
                published = [upstreamFile, caFile];
                await context.Out.WriteLineAsync($"upstream for runs: {upstreamFile} (connect-to *={rack.Internet.EndPoint}, CA {caFile})");
                // Renamed into place: a script that waits for the file must never read it half written.
                var partial = readyFile + ".partial";
                await File.WriteAllLinesAsync(partial, rack.Phones.Select(p => p.Serial), CancellationToken.None);
                File.Move(partial, readyFile, overwrite: true);
            }
            await context.Out.WriteLineAsync("ready");
            await context.Out.FlushAsync(CancellationToken.None);
            await stop.WaitAsync();
            await context.Out.WriteLineAsync("stopping: disconnecting the virtual phones");
            return (int)ExitCode.AllPass;
        }
        finally
        {
            if (readyFile != null) File.Delete(readyFile);
            foreach (var file in published) File.Delete(file);
            foreach (var phone in phones)
            {
                try { await RunAdbAsync(adbPath, adbHost, adbPort, CancellationToken.None, "disconnect", phone.Serial); }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or OperationCanceledException) { await context.Error.WriteLineAsync($"disconnect {phone.Serial}: {e.Message}"); }
            }
        }
    }

    /// <summary>Where a rack started with --ready-file READY publishes its upstream: READY.upstream.json (and READY.upstream.ca.pem).</summary>
    public static string UpstreamFileBeside(string readyFile) => readyFile + ".upstream.json";

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
