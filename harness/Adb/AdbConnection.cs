using System.Net.Sockets;
using Harness.Adb.Protocol;

namespace Harness.Adb;

/// <summary>
/// One TCP connection to the adb server, carrying one service (the server closes it after, except for a
/// transport switch, which keeps it for the device service that follows). Framing comes from <see cref="HostProtocol"/>.
/// </summary>
public sealed class AdbConnection : IAsyncDisposable, IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private AdbConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public Stream Stream => _stream;

    /// <summary>The device this connection is about, so a FAIL names it.</summary>
    public string? Serial { get; set; }

    public static async Task<AdbConnection> OpenAsync(string host, int port, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        try
        {
            await tcp.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            return new AdbConnection(tcp);
        }
        catch (SocketException e)
        {
            tcp.Dispose();
            throw new AdbServerUnavailableException(host, port, e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            tcp.Dispose();
            throw new AdbServerUnavailableException(host, port, new TimeoutException($"connect timed out after {connectTimeout}"));
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends a request and reads OKAY; a FAIL becomes the matching exception.</summary>
    public async Task SendRequestAsync(string request, CancellationToken cancellationToken)
    {
        await WriteAsync(HostProtocol.EncodeRequest(request), cancellationToken).ConfigureAwait(false);
        await ReadStatusAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Switches this connection to a device: later requests go to its adbd.</summary>
    public async Task SwitchToDeviceAsync(string serial, CancellationToken cancellationToken)
    {
        Serial = serial;
        await SendRequestAsync($"host:transport:{serial}", cancellationToken).ConfigureAwait(false);
    }

    public async Task ReadStatusAsync(string request, CancellationToken cancellationToken)
    {
        var word = await ReadExactAsync(4, cancellationToken).ConfigureAwait(false);
        if (HostProtocol.ParseStatus(word) == HostStatus.Okay) return;
        var reason = await ReadHex4StringAsync(cancellationToken).ConfigureAwait(false);
        throw MapFailure(request, reason, Serial);
    }

    public async Task<string> ReadHex4StringAsync(CancellationToken cancellationToken)
    {
        var length = HostProtocol.ParseHex4(await ReadExactAsync(4, cancellationToken).ConfigureAwait(false));
        var body = await ReadExactAsync(length, cancellationToken).ConfigureAwait(false);
        return HostProtocol.Encoding.GetString(body);
    }

    public async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
                throw new AdbProtocolException($"adb server closed the connection after {read} of {count} expected bytes");
            read += n;
        }
        return buffer;
    }

    /// <summary>Reads whatever is available (at least 1 byte); 0 means the peer closed the stream.</summary>
    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _stream.ReadAsync(buffer, cancellationToken);

    public async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        await _stream.CopyToAsync(output, 81920, cancellationToken).ConfigureAwait(false);
        return output.ToArray();
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);

    /// <summary>Maps the server's FAIL text to the exception a caller can act on.</summary>
    public static AdbException MapFailure(string request, string reason, string? serial)
    {
        var who = serial ?? SerialFromRequest(request) ?? "?";
        if (reason.StartsWith("device offline", StringComparison.Ordinal))
            return new DeviceOfflineException(who, reason);
        if (reason.StartsWith("device unauthorized", StringComparison.Ordinal))
            return new DeviceUnauthorizedException(who, reason);
        if (reason.Contains("not found", StringComparison.Ordinal) && reason.StartsWith("device", StringComparison.Ordinal)
            || reason.StartsWith("no devices", StringComparison.Ordinal))
            return new DeviceNotFoundException(who, reason);
        return new AdbCommandFailedException(request, reason);
    }

    private static string? SerialFromRequest(string request)
    {
        foreach (var prefix in new[] { "host:transport:", "host-serial:" })
        {
            if (!request.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = request[prefix.Length..];
            if (prefix == "host-serial:")
            {
                // host-serial:127.0.0.1:5555:features: the serial itself may hold one colon (host:port).
                var last = rest.LastIndexOf(':');
                return last > 0 ? rest[..last] : rest;
            }
            return rest;
        }
        return null;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
