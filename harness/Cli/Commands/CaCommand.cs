using System.CommandLine;
using Harness.Adb;
using Harness.Core;
using Harness.Proxy.Certificates;
using Harness.Scenarios;

namespace Harness.Cli.Commands;

/// <summary>
/// `harness ca export`: hand out the CA certificate (never the key) as PEM, DER or Android's system-store file.
/// `harness ca uninstall SERIAL`: take our CA out of a phone's system and user trust stores with one command.
/// </summary>
public sealed class CaCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var caDir = new Option<string?>("--ca-dir") { Description = "CA directory (created on first use); default ~/.harness/ca." };
        var format = new Option<string>("--format") { Description = "pem, der or android (<subject_hash_old>.0 with PEM content).", DefaultValueFactory = _ => "pem" };
        var output = new Option<string>("-o", "--output") { Description = "Output file; for android, a directory gets <hash>.0 inside it.", Required = true };

        var export = new Command("export", "Write the CA certificate for installing on a device or in a client.");
        export.Options.Add(caDir);
        export.Options.Add(format);
        export.Options.Add(output);
        export.SetAction(parse =>
        {
            var chosen = parse.GetValue(format)?.ToLowerInvariant() switch
            {
                "pem" => CertificateExportFormat.Pem,
                "der" => CertificateExportFormat.Der,
                "android" => CertificateExportFormat.Android,
                var other => throw new BadInputException($"'{other}' is not a format: use pem, der or android", field: "--format"),
            };
            using var ca = CertificateAuthority.LoadOrCreate(parse.GetValue(caDir));
            var path = parse.GetValue(output)!;
            if (chosen == CertificateExportFormat.Android && Directory.Exists(path)) path = Path.Combine(path, ca.AndroidSystemStoreFileName);
            File.WriteAllBytes(path, ca.Export(chosen));
            context.Out.WriteLine(chosen == CertificateExportFormat.Android
                ? $"wrote {path} (Android system store name: {ca.AndroidSystemStoreFileName})"
                : $"wrote {path}");
            context.Out.WriteLine($"SPKI sha256: {ca.SpkiSha256Base64}");
            return (int)ExitCode.AllPass;
        });

        var command = new Command("ca", "The interception CA.");
        command.Subcommands.Add(export);
        command.Subcommands.Add(BuildUninstall(context));
        return command;
    }

    private static Command BuildUninstall(CliContext context)
    {
        var serial = new Argument<string>("serial") { Description = "Serial of the phone (as `harness devices` prints it)." };
        var caDir = new Option<string?>("--ca-dir") { Description = "CA directory whose certificate is removed; default ~/.harness/ca." };
        var adbOption = new Option<string?>("--adb") { Description = "adb server as HOST:PORT (default 127.0.0.1:5037)." };
        var uninstall = new Command("uninstall", "Remove our CA from the phone's system store (via root) and user store, so the phone no longer trusts the proxy.");
        uninstall.Arguments.Add(serial);
        uninstall.Options.Add(caDir);
        uninstall.Options.Add(adbOption);
        uninstall.SetAction(async (parse, ct) =>
        {
            var directory = parse.GetValue(caDir) ?? CertificateAuthority.DefaultDirectory;
            // Never create a CA here: a fresh one could not be on any phone, and would hide a wrong --ca-dir.
            if (!File.Exists(Path.Combine(directory, CertificateAuthority.CertificateFileName)) || !File.Exists(Path.Combine(directory, CertificateAuthority.KeyFileName)))
                throw new BadInputException($"no harness CA in {directory}: give the --ca-dir the run used", field: "--ca-dir");
            string fileName;
            using (var ca = CertificateAuthority.LoadOrCreate(directory)) fileName = ca.AndroidSystemStoreFileName;

            AdbClientOptions endpoint;
            try { endpoint = AdbClientOptions.ForEndpoint(parse.GetValue(adbOption)); }
            catch (FormatException e) { throw new BadInputException(e.Message, field: "--adb"); }
            var adb = new AdbClient(new AdbClientOptions { Host = endpoint.Host, Port = endpoint.Port, MaxRetryAttempts = 1 });
            var device = parse.GetValue(serial)!;
            try
            {
                var root = await RootAccess.ProbeAsync(adb, device, TimeSpan.FromSeconds(10), ct);
                var present = await PhoneCaTrust.FindAsync(adb, device, fileName, root, ct);
                if (present.Count == 0)
                {
                    await context.Out.WriteLineAsync($"{device}: {fileName} is in none of its trust stores{(root is null ? " readable without root" : "")}; nothing to remove");
                    return (int)ExitCode.AllPass;
                }
                if (root is null)
                {
                    await context.Error.WriteLineAsync($"{device}: {fileName} is in {string.Join(", ", present)} but the phone is not rooted: remove it on the phone under Settings > Security > Trusted credentials");
                    return (int)ExitCode.Infrastructure;
                }
                var left = await PhoneCaTrust.RemoveAsync(adb, device, fileName, root, ct);
                foreach (var path in present.Except(left)) await context.Out.WriteLineAsync($"removed {path}");
                if (left.Count == 0) return (int)ExitCode.AllPass;
                await context.Error.WriteLineAsync($"{device}: {fileName} is still in {string.Join(", ", left)}; a reboot clears an injected system store");
                return (int)ExitCode.Infrastructure;
            }
            catch (Exception e) when (e is AdbException or TimeoutException)
            {
                await context.Error.WriteLineAsync($"{device}: unreachable: {e.Message}");
                return (int)ExitCode.Infrastructure;
            }
        });
        return uninstall;
    }
}
