using System.CommandLine;
using Harness.Core;
using Harness.Evidence.Bundles;
using Harness.Evidence.Verification;
using Harness.Scenarios;

namespace Harness.Cli.Commands;

/// <summary>`harness verify BUNDLE [--pin FPR] [--json]`: offline check of an evidence bundle (hashes, signature, findings).</summary>
public sealed class VerifyCommand : ICliCommand
{
    private readonly Func<IBundleRescanner?> _rescanner;

    public VerifyCommand() : this(() => new ScenarioBundleRescanner()) { }

    public VerifyCommand(Func<IBundleRescanner?> rescanner) => _rescanner = rescanner;

    public Command Build(CliContext context)
    {
        var bundle = new Argument<string>("bundle") { Description = "Evidence bundle folder or .zip." };
        var pin = new Option<string?>("--pin") { Description = "Expected SHA-256 fingerprint of the signing key (from the lab that produced the bundle)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("verify", "Verify an evidence bundle offline: every file hash, the signature, and that re-scanning reproduces the findings. Exit 0 only when all holds.");
        command.Arguments.Add(bundle);
        command.Options.Add(pin);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(bundle)!;
            var verifier = new BundleVerifier(_rescanner());
            // A merged run (`harness merge`): every shard's bundle, each against the key and manifest its index lists.
            if (await BundleIndex.TryReadAsync(path, ct) is { } merged)
            {
                var shards = await new BundleIndexVerifier(verifier).VerifyAsync(merged.Index, merged.Directory, ct);
                foreach (var shard in shards) await context.Out.WriteAsync(shard.ToText());
                var code = BundleIndexVerifier.ExitCodeOf(shards);
                await context.Out.WriteLineAsync(code == ExitCode.AllPass
                    ? $"VERIFIED: all {shards.Count} shard bundle(s) of the index hold"
                    : $"NOT VERIFIED: {shards.Count(s => !s.Holds)} of {shards.Count} shard bundle(s) do not hold");
                return (int)code;
            }
            VerificationReport report;
            try
            {
                report = await verifier.VerifyAsync(path, parse.GetValue(pin), ct);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                throw new BadInputException("bundle cannot be read: " + e.Message, path, inner: e);
            }
            await context.Out.WriteAsync(parse.GetValue(json) ? report.ToJson() + Environment.NewLine : report.ToText());
            if (!report.FindingsVerified) await context.Error.WriteLineAsync("error: " + BundleVerifier.RescanUnavailableMessage);
            return (int)report.ExitCode;
        });
        return command;
    }
}
