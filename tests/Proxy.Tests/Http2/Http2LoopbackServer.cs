using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Harness.Flows;
using Harness.Proxy.Http2;

namespace Harness.Proxy.Tests.Http2;

/// <summary>
/// A tiny HTTP/2 server built on the server role, for real clients (curl, nghttp) to talk to: in clear text it
/// detects prior knowledge from the first bytes (anything else gets an HTTP/1.1 505), with TLS it offers only h2 in ALPN.
/// GET /hello answers a line, GET /bytes/N answers N octets, POST /echo echoes the body with a trailer.
/// </summary>
internal sealed class Http2LoopbackServer : IAsyncDisposable
{
    public const string Hello = "hello from Harness.Proxy.Http2\n";

    public const int PageScripts = 8;

    /// <summary>GET /page: a page whose 8 scripts (GET /script/N.js, 64 KiB each) each append " sN" to #r.</summary>
    public static readonly string Page = "<!doctype html><html><head><title>h2 layer</title></head><body><p id=r>scripts:</p>" +
        string.Concat(Enumerable.Range(0, PageScripts).Select(i => $"<script src=\"/script/{i}.js\"></script>")) + "</body></html>\n";

    /// <summary>Chromium's --ignore-certificate-errors-spki-list value for the TLS certificate.</summary>
    public string? SpkiHash => _certificate is null ? null : Convert.ToBase64String(SHA256.HashData(_certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _certificate;
    private readonly Task _accepting;
    private readonly ConcurrentBag<Task> _connections = [];

    private Http2LoopbackServer(bool tls)
    {
        _certificate = tls ? CreateCertificate() : null;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public static Http2LoopbackServer Start(bool tls) => new(tls);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string BaseUrl => $"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}";

    /// <summary>Each request as "connection#/stream method path".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<string> Errors { get; } = new();

    private int _connectionCount;

    public int ConnectionCount => _connectionCount;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _accepting; } catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        foreach (var c in _connections)
        {
            try { await c; } catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException) { }
        }
        _certificate?.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var number = Interlocked.Increment(ref _connectionCount);
            _connections.Add(Task.Run(() => ServeAsync(client, number)));
        }
    }

    private async Task ServeAsync(TcpClient client, int number)
    {
        try
        {
            await ServeConnectionAsync(client, number);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException)
        {
            // The client went away (a browser's spare connection, a test ending): not the layer's doing.
        }
        catch (Exception e)
        {
            Errors.Enqueue($"connection {number}: {e}");
        }
    }

    private async Task ServeConnectionAsync(TcpClient client, int number)
    {
        using var _ = client;
        Stream stream = client.GetStream();
        byte[] first = [];
        if (_certificate is not null)
        {
            var ssl = new SslStream(stream);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
            }, _stop.Token);
            if (ssl.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
            {
                Errors.Enqueue($"connection {number}: ALPN gave {ssl.NegotiatedApplicationProtocol}");
                return;
            }
            stream = ssl;
        }
        else
        {
            // h2c prior knowledge: the preface or nothing.
            var buffer = new byte[Http2Preface.Length];
            var have = 0;
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(have), _stop.Token);
                if (read == 0) return;
                have += read;
                var match = Http2Preface.Match(buffer.AsSpan(0, have));
                if (match == Http2PrefaceMatch.Preface) break;
                if (match == Http2PrefaceMatch.NotPreface)
                {
                    await stream.WriteAsync("HTTP/1.1 505 HTTP Version Not Supported\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
                    return;
                }
            }
            first = buffer;
        }
        await using var __ = stream;
        var h2 = new Http2Connection(Http2Role.Server);
        var bodies = new Dictionary<int, MemoryStream>();
        await Http2SocketPump.RunAsync(h2, stream, e =>
        {
            switch (e)
            {
                case Http2RequestReceived r:
                    Requests.Enqueue($"{number}/{r.StreamId} {r.Method} {r.Path}");
                    bodies[r.StreamId] = new MemoryStream();
                    if (r.EndStream) Answer(h2, r.StreamId, r.Method, r.Path ?? "", []);
                    _paths[(number, r.StreamId)] = (r.Method, r.Path ?? "");
                    break;
                case Http2DataReceived d:
                    bodies[d.StreamId].Write(d.Data.Span);
                    h2.ConsumeData(d.StreamId, d.Data.Length);
                    if (d.EndStream)
                    {
                        var (method, path) = _paths[(number, d.StreamId)];
                        Answer(h2, d.StreamId, method, path, bodies[d.StreamId].ToArray());
                    }
                    break;
                case Http2ConnectionError c:
                    Errors.Enqueue($"connection {number}: {c.ErrorCode} {c.Message}");
                    break;
                case Http2StreamReset x when x.Origin != Http2ResetOrigin.ConnectionLost:
                    Errors.Enqueue($"connection {number}: stream {x.StreamId} reset {x.ErrorCode} by {x.Origin}");
                    break;
            }
            return false;
        }, _stop.Token, first);
    }

    private readonly ConcurrentDictionary<(int, int), (string Method, string Path)> _paths = new();

    private static void Answer(Http2Connection h2, int streamId, string method, string path, byte[] body)
    {
        if (method == "GET" && path == "/hello")
        {
            var text = Encoding.ASCII.GetBytes(Hello);
            h2.SubmitResponse(streamId, [new(":status", "200"), new("content-type", "text/plain"), new("content-length", text.Length.ToString())], endStream: false);
            h2.SendData(streamId, text, endStream: true);
        }
        else if (method == "GET" && path.StartsWith("/bytes/") && int.TryParse(path["/bytes/".Length..], out var size))
        {
            h2.SubmitResponse(streamId, [new(":status", "200"), new("content-length", size.ToString())], endStream: false);
            h2.SendData(streamId, Pattern(size), endStream: true);
        }
        else if (method == "GET" && path == "/page")
        {
            var html = Encoding.ASCII.GetBytes(Page);
            h2.SubmitResponse(streamId, [new(":status", "200"), new("content-type", "text/html")], endStream: false);
            h2.SendData(streamId, html, endStream: true);
        }
        else if (method == "GET" && path.StartsWith("/script/") && path.EndsWith(".js") && int.TryParse(path["/script/".Length..^3], out var index))
        {
            // 64 KiB of comment, so each script needs WINDOW_UPDATEs from the browser, then one statement.
            var script = Encoding.ASCII.GetBytes("/*" + new string('x', 65536) + $"*/ document.getElementById('r').textContent += ' s{index}';\n");
            h2.SubmitResponse(streamId, [new(":status", "200"), new("content-type", "text/javascript")], endStream: false);
            h2.SendData(streamId, script, endStream: true);
        }
        else if (method == "POST" && path == "/echo")
        {
            h2.SubmitResponse(streamId, [new(":status", "200"), new("content-type", "application/octet-stream")], endStream: false);
            h2.SendData(streamId, body, endStream: false);
            h2.SubmitTrailers(streamId, [new HeaderField("x-received-bytes", body.Length.ToString())]);
        }
        else
        {
            h2.SubmitResponse(streamId, [new(":status", "404")], endStream: true);
        }
    }

    public static byte[] Pattern(int size) => Enumerable.Range(0, size).Select(i => (byte)('a' + i % 26)).ToArray();

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // An exportable copy: SslStream on Linux needs the key in a form OpenSSL can use.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
