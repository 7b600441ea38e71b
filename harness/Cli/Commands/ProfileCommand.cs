using System.CommandLine;
using Harness.Adb;
using Harness.Browsers;
using Harness.Core;

namespace Harness.Cli.Commands;

/// <summary>
/// `harness profile check SERIAL --browser ID`: runs a profile's actions on a phone one step at a time and reports what
/// does not fit the installed build, with candidates and a suggested change (and a copy of the profile with all of
/// them). Exit 0 when every action of the installed version works with every selector found by id, 1 otherwise
/// (broken or not checked), 3 bad input, 4 the phone could not be driven at all.
/// </summary>
public sealed class ProfileCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var serialArgument = new Argument<string>("serial") { Description = "Serial of the phone (as `harness devices` prints it)." };
        var browserOption = new Option<string>("--browser") { Description = "Profile id (mint, mibrowser, miuibrowser) or package.", Required = true };
        var profilesOption = ProfileFolders.Option();
        var actionOption = new Option<string[]>("--action") { Description = "Only these actions (repeatable), e.g. open-url; default every action of the installed version." };
        var adbOption = new Option<string?>("--adb") { Description = "adb server as HOST:PORT (default 127.0.0.1:5037)." };
        var outOption = new Option<string?>("--out") { Description = "Folder for a dump and screenshot per step and the suggested profile (default profile-check/ID-SERIAL-UTCTIME)." };
        var urlOption = new Option<string>("--url") { Description = "Page open-url opens.", DefaultValueFactory = _ => "https://example.com/" };
        var termOption = new Option<string>("--term") { Description = "What search searches for.", DefaultValueFactory = _ => "harness profile check" };
        var accountOption = new Option<string?>("--account") { Description = "Account for sign-in/sign-out/sync (the phone is left signed in as it was found, when it can be)." };
        var passwordOption = new Option<string?>("--password") { Description = "Password of --account." };
        var stepTimeoutOption = new Option<double>("--step-timeout") { Description = "Seconds a step may wait for its element or state.", DefaultValueFactory = _ => 10 };

        var check = new Command("check", "Run a profile's actions on a phone step by step: what matches, what is missing, the closest elements and the YAML change that fits this build.");
        check.Arguments.Add(serialArgument);
        foreach (var option in new Option[] { browserOption, profilesOption, actionOption, adbOption, outOption, urlOption, termOption, accountOption, passwordOption, stepTimeoutOption })
            check.Options.Add(option);
        check.SetAction(async (parseResult, ct) =>
        {
            var serial = parseResult.GetValue(serialArgument)!;
            var browser = parseResult.GetValue(browserOption)!;
            var profiles = ProfileFolders.Load(parseResult.GetValue(profilesOption));
            var profile = profiles.FirstOrDefault(p => p.Id == browser || p.Package == browser)
                ?? throw new BadInputException($"no profile \"{browser}\" among {string.Join(", ", profiles.Select(p => p.Id))}", field: "--browser");
            var actions = ParseActions(parseResult.GetValue(actionOption));
            var stepTimeout = parseResult.GetValue(stepTimeoutOption);
            if (stepTimeout <= 0 || stepTimeout > 600) throw new BadInputException("must be between 0 and 600 seconds", field: "--step-timeout");
            var folder = parseResult.GetValue(outOption) ?? Path.Combine("profile-check", $"{profile.Id}-{UiCommand.Sanitize(serial)}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");

            var client = new AdbClient(UiCommand.AdbOptions(parseResult.GetValue(adbOption)));
            var device = new DeviceClientUi(new DeviceClient(client, await client.GetDeviceAsync(serial, ct)));
            var step = TimeSpan.FromSeconds(stepTimeout);
            var checker = new ProfileChecker(device, profile, new ProfileCheckOptions
            {
                Actions = actions,
                OutDirectory = folder,
                Url = parseResult.GetValue(urlOption)!,
                Term = parseResult.GetValue(termOption)!,
                Account = parseResult.GetValue(accountOption),
                Password = parseResult.GetValue(passwordOption),
                Driver = new BrowserDriverOptions { StepTimeout = step, TapCheckTimeout = TimeSpan.FromSeconds(Math.Min(3, stepTimeout)), LaunchTimeout = step * 2 },
            });
            ProfileCheckReport report;
            try
            {
                report = await checker.CheckAsync(ct);
            }
            catch (Exception e) when (e is BrowserNotInstalledException or BrowserVersionNotSupportedException or BrowserStepFailedException or AdbException)
            {
                await context.Error.WriteLineAsync($"{serial}: {e.Message}");
                return (int)ExitCode.Infrastructure;
            }
            ProfileCheckReportWriter.Write(context.Out, report, serial);
            var edits = report.Issues.Where(i => i.SuggestedEdit is not null).Select(i => i.SuggestedEdit!).ToList();
            if (edits.Count > 0)
            {
                var suggested = Path.Combine(folder, "suggested");
                Directory.CreateDirectory(suggested);
                var copy = Path.Combine(suggested, Path.GetFileName(profile.SourceFile));
                await File.WriteAllTextAsync(copy, ProfileEdits.Apply(await File.ReadAllTextAsync(profile.SourceFile, ct), edits), ct);
                await context.Out.WriteLineAsync($"the profile with every suggested change: {copy} (check it: harness profile check {serial} --browser {profile.Id} --profiles {suggested})");
            }
            await context.Out.WriteLineAsync($"dumps and screenshots of every step: {folder}");
            return report.AllWork && report.Complete ? (int)ExitCode.AllPass : (int)ExitCode.LeakFound;
        });

        var command = new Command("profile", "Work with browser profiles on a phone.");
        command.Subcommands.Add(check);
        return command;
    }

    private static IReadOnlyCollection<BrowserAction>? ParseActions(string[]? names)
    {
        if (names is not { Length: > 0 }) return null;
        var actions = new HashSet<BrowserAction>();
        foreach (var name in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            actions.Add(BrowserActionNames.TryParse(name, out var action)
                ? action
                : throw new BadInputException($"\"{name}\" is not an action; actions: {string.Join(", ", BrowserActionNames.All)}", field: "--action"));
        return actions;
    }
}
