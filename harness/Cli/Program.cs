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
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
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
