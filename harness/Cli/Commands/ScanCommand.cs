using System.CommandLine;
using Harness.Core;
using Harness.Flows;
using Harness.Leaks;

namespace Harness.Cli.Commands;

/// <summary>
/// `harness scan --har FILE --canaries FILE [--destinations FILE] [--format json|table]`: looks for the run's canaries
/// in a captured HAR and prints the verdict. Exit 0 pass, 1 leak, 2 inconclusive, 3 bad input.
/// </summary>
public sealed class ScanCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var har = new Option<FileInfo>("--har") { Description = "HAR file exported by `harness proxy` (or a browser).", Required = true };
        var canaries = new Option<FileInfo>("--canaries") { Description = "Canaries file: {\"canaries\":[{\"kind\":\"url\",\"value\":\"…\"}],\"intended\":[\"host\"]}.", Required = true };
        var destinations = new Option<FileInfo?>("--destinations") { Description = "Destinations file: {\"vendor\":[\"suffix\",…],\"intended\":[\"host\",…]}; vendor replaces the built-in list." };
        var format = new Option<string>("--format") { Description = "Output format: json or table.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("json", "table");
        var responses = new Option<bool>("--responses") { Description = "Also scan response bodies." };

        var command = new Command("scan", "Find this run's canaries in a capture, in any encoding, and give a verdict.");
        command.Options.Add(har);
        command.Options.Add(canaries);
        command.Options.Add(destinations);
        command.Options.Add(format);
        command.Options.Add(responses);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var canaryFile = parseResult.GetValue(canaries)!;
            var canarySet = CanaryFileReader.Parse(await ReadInputAsync(canaryFile, "--canaries", cancellationToken), canaryFile.FullName);
            var classifier = new DestinationClassifier(canarySet.IntendedHosts);
            if (parseResult.GetValue(destinations) is { } destinationFile)
                classifier = DestinationClassifier.Parse(await ReadInputAsync(destinationFile, "--destinations", cancellationToken), destinationFile.FullName, canarySet.IntendedHosts);
            var harFile = parseResult.GetValue(har)!;
            if (!harFile.Exists) throw new BadInputException("file not found", harFile.FullName, field: "--har");
            var flows = HarReader.ReadFile(harFile.FullName);

            var result = new CanaryScanner().Scan(flows, new ScanRequest
            {
                Canaries = canarySet,
                Destinations = classifier,
                ScanResponseBodies = parseResult.GetValue(responses),
            });
            var text = parseResult.GetValue(format) == "json" ? ScanReportWriter.ToJson(result) : ScanReportWriter.ToTable(result);
            await context.Out.WriteLineAsync(text.AsMemory(), cancellationToken);
            return (int)(result.Verdict switch
            {
                Verdict.Pass => ExitCode.AllPass,
                Verdict.Fail => ExitCode.LeakFound,
                _ => ExitCode.Inconclusive,
            });
        });
        return command;
    }

    private static async Task<byte[]> ReadInputAsync(FileInfo file, string option, CancellationToken cancellationToken)
    {
        if (!file.Exists) throw new BadInputException("file not found", file.FullName, field: option);
        try
        {
            return await File.ReadAllBytesAsync(file.FullName, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read: {e.Message}", file.FullName, field: option, inner: e);
        }
    }
}
