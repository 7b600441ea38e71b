using System.CommandLine;
using System.Reflection;
using Harness.Cli;
using Harness.Core;

var context = new CliContext();
var root = new RootCommand("harness: drive Android browsers over ADB, capture their traffic and prove whether browsing data escapes.");
root.Options.Add(context.Verbose);
foreach (var type in Assembly.GetExecutingAssembly().GetTypes()
             .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
             .OrderBy(t => t.Name, StringComparer.Ordinal))
{
    root.Subcommands.Add(((ICliCommand)Activator.CreateInstance(type)!).Build(context));
}

var parse = root.Parse(args);
var verbose = parse.GetValue(context.Verbose);
try
{
    // Ctrl+C cancels the command's token; the command then restores its phones and gives rented ones back to their farm,
    // which takes longer than System.CommandLine's default 2 s grace before it exits with 130 and cuts that short.
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
}
catch (BadInputException e)
{
    await context.Error.WriteLineAsync("error: " + e.Describe());
    if (verbose) await context.Error.WriteLineAsync(e.ToString());
    return (int)ExitCode.BadInput;
}
catch (OperationCanceledException)
{
    await context.Error.WriteLineAsync("cancelled");
    return 130;
}
catch (Exception e)
{
    await context.Error.WriteLineAsync("error: " + e.Message);
    if (verbose) await context.Error.WriteLineAsync(e.ToString());
    return (int)ExitCode.Infrastructure;
}
