namespace Harness.VirtualDevice.Services;

/// <summary>A parsed "shell[,args]:command" service string.</summary>
public sealed record ShellServiceRequest(bool UseProtocol, bool Pty, string Command)
{
    /// <summary>"shell:cmd" (v1), "shell,v2,raw:cmd", "shell,v2,TERM=xterm,pty:cmd", "exec:cmd" is handled elsewhere.</summary>
    public static ShellServiceRequest? Parse(string service)
    {
        if (!service.StartsWith("shell", StringComparison.Ordinal)) return null;
        var colon = service.IndexOf(':');
        if (colon < 0) return null;
        var head = service[..colon];
        if (head != "shell" && !head.StartsWith("shell,", StringComparison.Ordinal)) return null;
        var args = head.Split(',').Skip(1).ToList();
        var command = service[(colon + 1)..];
        var useProtocol = args.Contains("v2");
        // Without "raw", an empty command means an interactive pty; a command defaults to raw.
        var pty = args.Contains("pty") || (!args.Contains("raw") && command.Length == 0);
        return new ShellServiceRequest(useProtocol, pty, command);
    }
}
