using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Harness.TestSupport;

/// <summary>
/// A stand-in for a DeviceFarmer/STF server (whose real deployment needs RethinkDB, which no registry here serves):
/// exactly the documented api/v1 endpoints a run uses, with STF's answers and errors, on a loopback port —
/// <c>GET /devices</c>; <c>POST /user/devices {serial}</c> (404 "Device not found", 403 "Device is being used or not
/// available"); <c>POST|DELETE /user/devices/SERIAL/remoteConnect</c> (404, 403 "Device is not owned by you or is not
/// available"; remoteConnectUrl = the virtual phone's adb address); <c>DELETE /user/devices/SERIAL</c> (404, 403 "You
/// cannot release this device. Not owned by you"); 401 "Requires Authentication" without the token. Behind each phone is
/// a virtual phone that refuses adb connections unless remote connect is on, as STF's provider opens the port only then.
/// </summary>
public sealed class StfStandIn : IAsyncDisposable
{
    public const string UserEmail = "harness@lab.example";
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly object _gate = new();

    private StfStandIn(string token, IReadOnlyList<StfStandInDevice> devices, int port)
    {
        Token = token;
        Devices = devices;
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _loop = ServeAsync();
    }

    public string Token { get; }
    public Uri Url { get; }
    public IReadOnlyList<StfStandInDevice> Devices { get; }

    /// <summary>"METHOD /path STATUS" of every request, in order.</summary>
    public IReadOnlyList<string> Requests => _log.ToList();

    public static async Task<StfStandIn> StartAsync(string token, IReadOnlyList<StfStandInDevice> devices)
    {
        // Behind a phone nobody has remote-connected, the farm's port is closed.
        foreach (var device in devices) if (device.Phone is { } phone) await phone.DropAdbConnectionsAsync().ConfigureAwait(false);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new StfStandIn(token, devices, port);
    }

    public StfStandInDevice Device(string serial) => Devices.Single(d => d.Serial == serial);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try
            {
                var (status, body) = await HandleAsync(context.Request).ConfigureAwait(false);
                _log.Enqueue($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath} {status}");
                var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client went away mid-answer.
            }
        }
    }

    private static (int, object) Error(int status, string description) => (status, new { success = false, description });

    private async Task<(int Status, object Body)> HandleAsync(HttpListenerRequest request)
    {
        if (request.Headers["Authorization"] != "Bearer " + Token) return Error(401, "Requires Authentication");
        var path = request.Url!.AbsolutePath;
        const string prefix = "/api/v1/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) return Error(404, "Not Found");
        var parts = path[prefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        switch (request.HttpMethod, parts)
        {
            case ("GET", ["devices"]):
                lock (_gate)
                {
                    return (200, new
                    {
                        success = true,
                        description = "Devices Information",
                        devices = Devices.Select(d => new
                        {
                            serial = d.Serial, model = d.Model, sdk = d.Sdk.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            present = d.Present, ready = d.Ready, @using = d.Owner is not null,
                            owner = d.Owner is null ? null : new { email = d.Owner, name = d.Owner },
                        }).ToArray(),
                    });
                }
            case ("POST", ["user", "devices"]):
            {
                using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
                var serial = JsonDocument.Parse(await reader.ReadToEndAsync().ConfigureAwait(false)).RootElement.TryGetProperty("serial", out var s) ? s.GetString() : null;
                lock (_gate)
                {
                    var device = Devices.FirstOrDefault(d => d.Serial == serial);
                    if (device is null) return Error(404, "Device not found");
                    if (device.Owner is not null || !device.Present || !device.Ready) return Error(403, "Device is being used or not available");
                    device.Owner = UserEmail;
                    return (200, new { success = true, description = "Device successfully added" });
                }
            }
            case ("POST" or "DELETE", ["user", "devices", var serial, "remoteConnect"]):
            {
                StfStandInDevice? device;
                lock (_gate)
                {
                    device = Devices.FirstOrDefault(d => d.Serial == serial);
                    if (device is null) return Error(404, "Device not found");
                    if (device.Owner != UserEmail) return Error(403, "Device is not owned by you or is not available");
                    device.RemoteConnected = request.HttpMethod == "POST";
                }
                if (request.HttpMethod == "DELETE")
                {
                    if (device.Phone is { } phone) await phone.DropAdbConnectionsAsync().ConfigureAwait(false);
                    return (200, new { success = true, description = "Device remote disconnected successfully" });
                }
                device.Phone?.AllowReconnect();
                // With no phone behind it, the URL names a port where nothing listens: the tunnel never opens.
                var url = device.Phone is { } behind ? $"127.0.0.1:{behind.Port}" : "127.0.0.1:1";
                return (200, new { success = true, description = "Remote connection is enabled", remoteConnectUrl = url });
            }
            case ("DELETE", ["user", "devices", var serial]):
            {
                StfStandInDevice? device;
                lock (_gate)
                {
                    device = Devices.FirstOrDefault(d => d.Serial == serial);
                    if (device is null) return Error(404, "Device not found");
                    if (device.Owner != UserEmail) return Error(403, "You cannot release this device. Not owned by you");
                    device.Owner = null;
                    device.RemoteConnected = false;
                }
                if (device.Phone is { } phone) await phone.DropAdbConnectionsAsync().ConfigureAwait(false);
                return (200, new { success = true, description = "Device successfully removed" });
            }
            default:
                return Error(404, "Not Found");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try { await _loop.ConfigureAwait(false); } catch (Exception) { }
    }
}
