using System.CommandLine;
using Harness.Evidence.Redaction;
using Harness.Evidence.Signing;

namespace Harness.Cli.Commands;

/// <summary>`harness redact BUNDLE -o OUT [--mask-field NAME]…`: a shareable copy with secrets masked, re-signed.</summary>
public sealed class RedactCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var bundle = new Argument<string>("bundle") { Description = "Sealed evidence bundle folder or .zip." };
        var output = new Option<string>("--output", "-o") { Description = "Folder for the redacted bundle (new or empty).", Required = true };
        var maskFields = new Option<string[]>("--mask-field") { Description = "Extra header, query or JSON field name to mask (repeatable)." };
        var keyDir = new Option<string?>("--key-dir") { Description = "Signing key folder (default ~/.harness/signing)." };
        var command = new Command("redact", "Mask secrets (Authorization, Cookie, Set-Cookie, account tokens, chosen fields) in a bundle's HAR files, keeping findings verifiable; writes redactions.json and re-signs.");
        command.Arguments.Add(bundle);
        command.Options.Add(output);
        command.Options.Add(maskFields);
        command.Options.Add(keyDir);
        command.SetAction(async (parse, ct) =>
        {
            var policy = new RedactionPolicy { ExtraFields = parse.GetValue(maskFields) ?? [] };
            using var key = await new SigningKeyStore(parse.GetValue(keyDir) ?? SigningKeyStore.DefaultDirectory).LoadOrCreateAsync(ct);
            var sealedBundle = await new BundleRedactor(policy).RedactAsync(parse.GetValue(bundle)!, parse.GetValue(output)!, key, ct);
            await context.Out.WriteLineAsync($"redacted bundle: {sealedBundle.BundleDirectory}");
            await context.Out.WriteLineAsync($"original manifest SHA-256: {sealedBundle.Manifest.RedactedFromManifestSha256}");
            await context.Out.WriteLineAsync($"signed by key fingerprint (SHA-256): {sealedBundle.SigningKeyFingerprint}");
            return 0;
        });
        return command;
    }
}
