using System.CommandLine;
using Harness.Core;
using Harness.Proxy.Certificates;

namespace Harness.Cli.Commands;

/// <summary>`harness ca export`: hand out the CA certificate (never the key) as PEM, DER or Android's system-store file.</summary>
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
        return command;
    }
}
