using System.Diagnostics;

namespace Harness.Adb;

/// <summary>Runs `adb -P PORT start-server`, the one thing the client cannot do over the socket.</summary>
public static class AdbServerLauncher
{
    public static async Task StartAsync(string adbPath, int port, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(adbPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-P");
        startInfo.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add("start-server");
        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new AdbException($"could not start {adbPath}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new AdbException($"cannot run `{adbPath}` to start the adb server: {e.Message}; install it with `apt-get install adb`", e);
        }
        using (process)
        {
            // The daemonised server keeps inherited pipes open, so do not wait for EOF on them: wait for the launcher to exit.
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
                throw new AdbException($"`{adbPath} -P {port} start-server` exited with {process.ExitCode}");
        }
    }
}
