using System.Text;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Shell;
using Harness.VirtualDevice.Transport;

namespace Harness.VirtualDevice.Services;

/// <summary>Routes adb service strings (shell:, shell,v2,…:, exec:, sync:, reverse:) to their implementation on the phone.</summary>
public sealed class DeviceServices(VirtualAndroid android, Func<TimeSpan> responseDelay)
{
    private int _nextReversePort = 41_000;

    public bool IsKnown(string service) =>
        ShellServiceRequest.Parse(service) != null || service.StartsWith("exec:", StringComparison.Ordinal) || service == "sync:" || service.StartsWith("reverse:", StringComparison.Ordinal);

    public async Task RunAsync(string service, AdbServiceStream stream, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, stream.HostClosed);
        var token = linked.Token;
        var delay = responseDelay();
        if (delay > TimeSpan.Zero) await Task.Delay(delay, token).ConfigureAwait(false);
        android.Log.Write(704, 'D', "adbd", $"service {service.Split(':')[0]}");
        if (ShellServiceRequest.Parse(service) is { } shell)
        {
            if (shell.UseProtocol) await RunShellV2Async(shell, stream, token).ConfigureAwait(false);
            else await RunShellV1Async(shell.Command, stream, token).ConfigureAwait(false);
        }
        else if (service.StartsWith("exec:", StringComparison.Ordinal))
        {
            // exec: is raw in both directions; stderr shares the socket like adbd's subprocess does.
            await android.Shell.RunAsync(service["exec:".Length..], new ShellIo(stream, stream, stream), ShellSession.ShellUser(hasTerminal: true), token).ConfigureAwait(false);
        }
        else if (service == "sync:")
        {
            await new SyncService(android.FileSystem).RunAsync(stream, stream, token).ConfigureAwait(false);
        }
        else if (service.StartsWith("reverse:", StringComparison.Ordinal))
        {
            var reply = ReverseService.Handle(service["reverse:".Length..], android.ReverseForwards, () => Interlocked.Increment(ref _nextReversePort), stream.Connection);
            await stream.WriteAsync(reply, token).ConfigureAwait(false);
        }
    }

    private byte[] Prompt() => Encoding.UTF8.GetBytes($"{android.Profile.Device}:/ $ ");

    private async Task RunShellV1Async(string command, AdbServiceStream stream, CancellationToken ct)
    {
        var io = new ShellIo(stream, stream, stream);
        var session = ShellSession.ShellUser(hasTerminal: true);
        if (command.Length > 0)
        {
            await android.Shell.RunAsync(command, io, session, ct).ConfigureAwait(false);
            return;
        }
        // Interactive: one command per line until `exit` or end of input, with a prompt and echo as a pty gives.
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        await stream.WriteAsync(Prompt(), ct).ConfigureAwait(false);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), ct).ConfigureAwait(false);
            if (line.Trim() == "exit") return;
            await android.Shell.RunAsync(line, new ShellIo(Stream.Null, stream, stream), session, ct).ConfigureAwait(false);
            await stream.WriteAsync(Prompt(), ct).ConfigureAwait(false);
        }
    }

    private async Task RunShellV2Async(ShellServiceRequest request, AdbServiceStream stream, CancellationToken ct)
    {
        var writeLock = new SemaphoreSlim(1, 1);
        var stdin = new ByteChannelStream();
        var demux = Task.Run(async () =>
        {
            var decoder = new ShellV2PacketDecoder();
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
                    if (n == 0) break;
                    foreach (var packet in decoder.Feed(buffer.AsSpan(0, n)))
                    {
                        if (packet.Id == ShellV2Protocol.Stdin) stdin.Append(packet.Payload);
                        else if (packet.Id == ShellV2Protocol.CloseStdin) stdin.Complete();
                    }
                }
            }
            catch (OperationCanceledException) { }
            finally { stdin.Complete(); }
        }, CancellationToken.None);
        var stdout = new ShellV2OutputStream(stream, ShellV2Protocol.Stdout, writeLock);
        var stderr = new ShellV2OutputStream(stream, ShellV2Protocol.Stderr, writeLock);
        int exitCode;
        if (request.Command.Length == 0)
        {
            exitCode = 0;
            using var reader = new StreamReader(stdin, Encoding.UTF8);
            if (request.Pty) await stdout.WriteAsync(Prompt(), ct).ConfigureAwait(false);
            while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                if (request.Pty) await stdout.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), ct).ConfigureAwait(false);
                if (line.Trim() == "exit") break;
                exitCode = await android.Shell.RunAsync(line, new ShellIo(Stream.Null, stdout, stderr), ShellSession.ShellUser(request.Pty), ct).ConfigureAwait(false);
                if (request.Pty) await stdout.WriteAsync(Prompt(), ct).ConfigureAwait(false);
            }
        }
        else
        {
            exitCode = await android.Shell.RunAsync(request.Command, new ShellIo(stdin, stdout, stderr), ShellSession.ShellUser(request.Pty), ct).ConfigureAwait(false);
        }
        await writeLock.WaitAsync(ct).ConfigureAwait(false);
        try { await stream.WriteAsync(ShellV2Protocol.Encode(ShellV2Protocol.Exit, [(byte)exitCode]), ct).ConfigureAwait(false); }
        finally { writeLock.Release(); }
        _ = demux;
    }
}
