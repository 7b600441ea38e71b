namespace Harness.VirtualDevice.Shell;

/// <summary>The programs on the virtual phone's PATH.</summary>
public static class ShellCommands
{
    public static IReadOnlyDictionary<string, ShellCommand> CreateDefault()
    {
        var commands = new Dictionary<string, ShellCommand>(StringComparer.Ordinal);
        FileCommands.Register(commands);
        TextCommands.Register(commands);
        SystemCommands.Register(commands);
        PackageCommands.Register(commands);
        ActivityCommands.Register(commands);
        ImeCommands.Register(commands);
        FirewallCommands.Register(commands);
        return commands;
    }
}
