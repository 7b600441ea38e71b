using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harness.Adb.Tests.Fakes;

/// <summary>
/// A loopback stand-in for the adb server whose answers a test scripts per connection, to exercise the client's
/// error mapping, retries and timeouts without a real server. Protocol correctness against the real server is in Integration/.
/// </summary>
internal sealed class ScriptedAdbServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, ScriptedConnection, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;

    public ScriptedAdbServer(Func<int, ScriptedConnection, Task> handler)
    {
        _handler = handler;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int ConnectionCount => Volatile.Read(ref _connections);
    public List<string> Requests { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            var index = Interlocked.Increment(ref _connections) - 1;
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try { await _handler(index, new ScriptedConnection(client.GetStream(), this, _stop.Token)); }
                    catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _acceptLoop; } catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { }
        _stop.Dispose();
    }

    internal sealed class ScriptedConnection(NetworkStream stream, ScriptedAdbServer server, CancellationToken token)
    {
        public NetworkStream Stream => stream;

        public async Task<string> ReadRequestAsync()
        {
            var length = Convert.ToInt32(Encoding.ASCII.GetString(await ReadExactAsync(4)), 16);
            var request = Encoding.UTF8.GetString(await ReadExactAsync(length));
            lock (server.Requests) server.Requests.Add(request);
            return request;
        }

        public async Task<byte[]> ReadExactAsync(int count)
        {
            var buffer = new byte[count];
            await stream.ReadExactlyAsync(buffer, token);
            return buffer;
        }

        public Task WriteAsync(string ascii) => WriteAsync(Encoding.UTF8.GetBytes(ascii));

        public async Task WriteAsync(byte[] bytes) => await stream.WriteAsync(bytes, token);

        public Task OkayAsync() => WriteAsync("OKAY");

        public Task OkayWithBodyAsync(string body) => WriteAsync($"OKAY{Encoding.UTF8.GetByteCount(body):x4}{body}");

        public Task FailAsync(string reason) => WriteAsync($"FAIL{Encoding.UTF8.GetByteCount(reason):x4}{reason}");

        /// <summary>Holds the connection open without answering until the test ends.</summary>
        public Task StallAsync() => Task.Delay(Timeout.Infinite, token);
    }
}
