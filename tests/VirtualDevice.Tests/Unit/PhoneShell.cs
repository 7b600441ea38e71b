using System.Text;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Shell;

namespace Harness.VirtualDevice.Tests.Unit;

/// <summary>Runs command lines on a VirtualAndroid without any transport.</summary>
internal sealed class PhoneShell(VirtualAndroid android)
{
    public VirtualAndroid Android { get; } = android;

    public static PhoneShell Create(string model = "Redmi Note 8") => new(new VirtualAndroid(PhoneProfile.FindBuiltIn(model)!));

    public async Task<(int Exit, string Out, string Err)> RunAsync(string line, bool root = false, bool tty = false, byte[]? stdin = null)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var exit = await Android.Shell.RunAsync(line, new ShellIo(new MemoryStream(stdin ?? []), stdout, stderr), new ShellSession(root, tty), CancellationToken.None);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }
}
