using System.CommandLine;
using System.Text;
using Harness.Adb;
using Harness.Adb.Ui;
using Harness.Browsers;
using Harness.Core;

namespace Harness.Cli.Commands;

/// <summary>
/// `harness ui SERIAL [--out DIR]` / `harness ui --from-dump FILE`: the everyday inspector. Saves the screenshot and
/// the UI dump, prints the element tree readably and marks the elements the loaded profiles' selectors find.
/// Exit 0 with a tree, 3 for bad input (a file without a hierarchy), 4 when the phone gave no dump.
/// </summary>
public sealed class UiCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var serialArgument = new Argument<string?>("serial") { Description = "Serial of the phone (as `harness devices` prints it); not with --from-dump.", Arity = ArgumentArity.ZeroOrOne };
        var adbOption = new Option<string?>("--adb") { Description = "adb server as HOST:PORT (default 127.0.0.1:5037)." };
        var outOption = new Option<string?>("--out") { Description = "Folder for screen.png and window_dump.xml (default ui/SERIAL-UTCTIME)." };
        var fromDumpOption = new Option<string?>("--from-dump") { Description = "Print a saved uiautomator dump instead of asking a phone (raw `uiautomator dump` output is fine)." };
        var profilesOption = ProfileFolders.Option();
        var command = new Command("ui", "Show what is on a phone's screen: screenshot, UI dump and the element tree with the profile selectors that find each element.");
        command.Arguments.Add(serialArgument);
        foreach (var option in new Option[] { adbOption, outOption, fromDumpOption, profilesOption }) command.Options.Add(option);
        command.SetAction(async (parseResult, ct) =>
        {
            var serial = parseResult.GetValue(serialArgument);
            var fromDump = parseResult.GetValue(fromDumpOption);
            if ((serial is null) == (fromDump is null))
                throw new BadInputException("give either a SERIAL or --from-dump FILE", field: serial is null ? "serial" : "--from-dump");
            var profiles = ProfileFolders.Load(parseResult.GetValue(profilesOption));

            UiHierarchy screen;
            string? language = null;
            if (fromDump is not null)
            {
                screen = ParseFile(fromDump);
                await context.Out.WriteLineAsync($"dump {fromDump}: {Summary(screen)}");
            }
            else
            {
                var client = new AdbClient(AdbOptions(parseResult.GetValue(adbOption)));
                var device = new DeviceClientUi(new DeviceClient(client, await client.GetDeviceAsync(serial!, ct)));
                language = await BrowserDriver.DetectLanguageAsync(device, ct);
                var capture = await ScreenCapturer.CaptureAsync(device, TimeSpan.FromSeconds(10), TimeProvider.System, ct);
                var folder = parseResult.GetValue(outOption) ?? Path.Combine("ui", $"{Sanitize(serial!)}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
                Directory.CreateDirectory(folder);
                var saved = new List<string>();
                if (capture.Png is { } png)
                {
                    await File.WriteAllBytesAsync(Path.Combine(folder, "screen.png"), png, ct);
                    saved.Add(Path.Combine(folder, "screen.png"));
                }
                if (capture.Screen is { } dumped)
                {
                    await File.WriteAllTextAsync(Path.Combine(folder, "window_dump.xml"), dumped.Xml, new UTF8Encoding(false), ct);
                    saved.Add(Path.Combine(folder, "window_dump.xml"));
                }
                await context.Out.WriteLineAsync($"saved {(saved.Count == 0 ? "nothing" : string.Join(", ", saved))}");
                if (capture.ScreenshotProblem is { } noPicture) await context.Error.WriteLineAsync($"{serial}: no screenshot: {noPicture}");
                if (capture.Screen is null)
                {
                    await context.Error.WriteLineAsync($"{serial}: no UI dump: {capture.DumpProblem}");
                    return (int)ExitCode.Infrastructure;
                }
                screen = capture.Screen;
                await context.Out.WriteLineAsync($"{serial} (language {language ?? "unknown"}): {Summary(screen)}");
            }

            var marks = ProfileSelectorMarks.Find(screen, profiles, language);
            UiTreeWriter.Write(context.Out, screen, marks);
            var profileIds = profiles.Select(p => p.Id).ToList();
            await context.Out.WriteLineAsync($"{marks.Count} element(s) found by the selectors of {profileIds.Count} profile(s) ({string.Join(", ", profileIds)}); \"(by label)\": the selector's id is not on screen, only its label matched");
            return (int)ExitCode.AllPass;
        });
        return command;
    }

    internal static AdbClientOptions AdbOptions(string? endpoint)
    {
        try
        {
            return AdbClientOptions.ForEndpoint(endpoint);
        }
        catch (FormatException e)
        {
            throw new BadInputException(e.Message, field: "--adb");
        }
    }

    private static UiHierarchy ParseFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the dump: {e.Message}", path);
        }
        try
        {
            return UiHierarchy.Parse(text);
        }
        catch (AdbProtocolException e)
        {
            throw new BadInputException(e.Message, path);
        }
    }

    private static string Summary(UiHierarchy screen)
    {
        var packages = screen.Roots.Select(r => r.Package).Where(p => p.Length > 0).Distinct().ToList();
        return $"{screen.AllElements.Count()} element(s), {screen.Roots.Count} window(s) ({string.Join(", ", packages)})";
    }

    internal static string Sanitize(string serial) => string.Concat(serial.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
}
