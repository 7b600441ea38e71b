using System.Runtime.CompilerServices;
using System.Text;
using Harness.Adb.Protocol;

namespace Harness.Adb;

public sealed partial class AdbClient
{
    /// <summary>
    /// Runs a shell command: shell v2 (stdout, stderr, exit code apart) when the device advertises shell_v2,
    /// otherwise legacy v1. The command goes to the device's sh as is: quote arguments with <see cref="ShellQuote"/>.
    /// </summary>
    public async Task<ShellResult> ShellAsync(string serial, string command, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        var features = await GetFeaturesAsync(serial, cancellationToken).ConfigureAwait(false);
        return features.Contains("shell_v2")
            ? await ShellV2Async(serial, command, cancellationToken, timeout).ConfigureAwait(false)
            : await ShellV1Async(serial, command, cancellationToken, timeout).ConfigureAwait(false);
    }

    /// <summary>Legacy `shell:`: one merged output, no exit code, CRLF from old PTYs normalised to LF.</summary>
    public Task<ShellResult> ShellV1Async(string serial, string command, CancellationToken cancellationToken = default, TimeSpan? timeout = null) =>
        RunAsync($"shell:{command}", timeout ?? Options.CommandTimeout, async token =>
        {
            await using var connection = await OpenDeviceServiceAsync(serial, "shell:" + command, token).ConfigureAwait(false);
            var output = await connection.ReadToEndAsync(token).ConfigureAwait(false);
            return new ShellResult(NormaliseNewlines(HostProtocol.Encoding.GetString(output)), "", null);
        }, cancellationToken);

    /// <summary>`shell,v2,raw:`: the shell protocol with separate stdout/stderr and the exit code.</summary>
    public Task<ShellResult> ShellV2Async(string serial, string command, CancellationToken cancellationToken = default, TimeSpan? timeout = null) =>
        RunAsync($"shell,v2,raw:{command}", timeout ?? Options.CommandTimeout, async token =>
        {
            await using var connection = await OpenDeviceServiceAsync(serial, "shell,v2,raw:" + command, token).ConfigureAwait(false);
            // Nothing will be typed: close stdin so commands that read it see EOF instead of waiting for the timeout.
            await connection.WriteAsync(ShellV2Codec.Encode(ShellV2StreamId.CloseStdin, []), token).ConfigureAwait(false);
            var codec = new ShellV2Codec();
            using var stdout = new MemoryStream();
            using var stderr = new MemoryStream();
            int? exitCode = null;
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var read = await connection.ReadAsync(buffer, token).ConfigureAwait(false);
                if (read == 0) break;
                foreach (var packet in codec.Feed(buffer.AsSpan(0, read)))
                {
                    switch (packet.Id)
                    {
                        case ShellV2StreamId.Stdout: stdout.Write(packet.Payload); break;
                        case ShellV2StreamId.Stderr: stderr.Write(packet.Payload); break;
                        case ShellV2StreamId.Exit: exitCode = packet.Payload[0]; break;
                    }
                }
                if (exitCode is not null) break;
            }
            if (exitCode is null)
                throw new AdbProtocolException($"shell v2 stream of '{command}' ended without an exit packet ({codec.PendingByteCount} stray bytes)");
            return new ShellResult(
                HostProtocol.Encoding.GetString(stdout.GetBuffer(), 0, (int)stdout.Length),
                HostProtocol.Encoding.GetString(stderr.GetBuffer(), 0, (int)stderr.Length),
                exitCode);
        }, cancellationToken);

    /// <summary>
    /// Streams the output of a long-running command (logcat, getevent) line by line until it ends or the token is
    /// cancelled, which closes the stream and so stops the command on the device. No timeout: the caller bounds it.
    /// </summary>
    public async IAsyncEnumerable<string> StreamShellLinesAsync(string serial, string command, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var connection = await RunAsync($"shell:{command}", Options.CommandTimeout,
            token => OpenDeviceServiceAsync(serial, "shell:" + command, token), cancellationToken).ConfigureAwait(false);
        await using (connection)
        {
            using var reader = new StreamReader(connection.Stream, HostProtocol.Encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
            while (true)
            {
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
                if (line is null) yield break;
                yield return line;
            }
        }
    }

    /// <summary>`exec:`: raw binary stdout, no PTY and no newline translation (screencap -p, cat of binary files).</summary>
    public Task<byte[]> ExecOutAsync(string serial, string command, CancellationToken cancellationToken = default, TimeSpan? timeout = null) =>
        ExecAsync(serial, command, stdin: null, cancellationToken, timeout);

    /// <summary>`exec:` with bytes written to the command's stdin first (e.g. `cmd package install -S N`).</summary>
    public Task<byte[]> ExecAsync(string serial, string command, Stream? stdin, CancellationToken cancellationToken = default, TimeSpan? timeout = null) =>
        RunAsync($"exec:{command}", timeout ?? Options.CommandTimeout, async token =>
        {
            if (stdin is { CanSeek: true }) stdin.Position = 0;
            await using var connection = await OpenDeviceServiceAsync(serial, "exec:" + command, token).ConfigureAwait(false);
            if (stdin is not null)
                await stdin.CopyToAsync(connection.Stream, 64 * 1024, token).ConfigureAwait(false);
            return await connection.ReadToEndAsync(token).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Shell v2 when available; throws <see cref="AdbCommandFailedException"/> on a non-zero exit code.</summary>
    public async Task<string> ShellCheckedAsync(string serial, string command, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        var result = await ShellAsync(serial, command, cancellationToken, timeout).ConfigureAwait(false);
        return result.EnsureSuccess(command).Stdout;
    }

    internal static string NormaliseNewlines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
