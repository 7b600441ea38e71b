using System.Text;
using Harness.VirtualDevice.Android;

namespace Harness.VirtualDevice.Shell;

/// <summary>Everything a command sees: its arguments (Args[0] is the name), streams, user, and the phone.</summary>
public sealed record ShellInvocation(IReadOnlyList<string> Args, ShellIo Io, ShellSession Session, VirtualAndroid Android, ShellInterpreter Shell)
{
    public string Name => Args[0];

    public Task OutAsync(string text, CancellationToken ct) => Io.Stdout.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask();
    public Task OutLineAsync(string text, CancellationToken ct) => OutAsync(text + "\n", ct);
    public Task ErrLineAsync(string text, CancellationToken ct) => Io.Stderr.WriteAsync(Encoding.UTF8.GetBytes(text + "\n"), ct).AsTask();

    public async Task<byte[]> ReadAllStdinAsync(CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await Io.Stdin.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>Prints "NAME: message" on stderr like toybox does and returns the exit code.</summary>
    public async Task<int> FailAsync(string message, CancellationToken ct, int exitCode = 1)
    {
        await ErrLineAsync($"{Name}: {message}", ct).ConfigureAwait(false);
        return exitCode;
    }
}
