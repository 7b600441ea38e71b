using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harness.VirtualDevice.Tests.Network;

/// <summary>
/// A plain forwarding HTTP proxy on 127.0.0.1 (no interception): CONNECT opens a blind tunnel, other requests
/// are forwarded as they are. Like a harness proxy on a rack, every upstream is the virtual internet's endpoint.
/// </summary>
internal sealed class TestConnectProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<string> _requestLines = [];
    private readonly List<Task> _tasks = [];
    private readonly Task _acceptLoop;

    public TestConnectProxy(IPEndPoint upstream)
    {
        _upstream = upstream;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public IReadOnlyList<string> RequestLines
    {
        get
        {
            lock (_requestLines)
            {
                return _requestLines.ToList();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] tasks;
        lock (_tasks)
        {
            tasks = _tasks.ToArray();
        }

        await Task.WhenAll(tasks);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_tasks)
            {
                _tasks.Add(HandleAsync(client));
            }
        }
    }

    private async Task HandleAsync(Socket clientSocket)
    {
        var token = _stopping.Token;
        try
        {
            using (clientSocket)
            {
                await using var client = new NetworkStream(clientSocket, ownsSocket: false);
                var head = await ReadHeadAsync(client, token);
                if (head is null)
                {
                    return;
                }

                var requestLine = head[..head.IndexOf("\r\n", StringComparison.Ordinal)];
                lock (_requestLines)
                {
                    _requestLines.Add(requestLine);
                }

                using var upstreamSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await upstreamSocket.ConnectAsync(_upstream, token);
                await using var upstream = new NetworkStream(upstreamSocket, ownsSocket: false);
                if (requestLine.StartsWith("CONNECT ", StringComparison.Ordinal))
                {
                    await client.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 Connection established\r\n\r\n"), token);
                }
                else
                {
                    await upstream.WriteAsync(Encoding.Latin1.GetBytes(head), token);
                }

                var toUpstream = PumpAsync(client, upstreamSocket, upstream, token);
                var toClient = PumpAsync(upstream, clientSocket, client, token);
                await Task.WhenAll(toUpstream, toClient);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task PumpAsync(Stream from, Socket toSocket, Stream to, CancellationToken token)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), token);
            }

            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            toSocket.Close();
        }
    }

    private static async Task<string?> ReadHeadAsync(Stream stream, CancellationToken token)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, token) == 0)
            {
                return null;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
