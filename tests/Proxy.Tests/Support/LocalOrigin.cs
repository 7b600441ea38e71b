using System.IO.Compression;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Harness.Proxy.Tests.Support;

/// <summary>
/// A Kestrel origin on 127.0.0.1 (HTTP and HTTPS, HTTP/1.1, optionally h2 over HTTPS) with a certificate from its own throwaway CA,
/// so Forward mode can be tested with real certificate validation against an injected trust anchor.
/// </summary>
internal sealed class LocalOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalOrigin(WebApplication app, X509Certificate2 trustAnchor, int httpPort, int httpsPort, TaskCompletionSource streamGate)
    {
        StreamGate = streamGate;
        _app = app;
        TrustAnchor = trustAnchor;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
    }

    public X509Certificate2 TrustAnchor { get; }

    /// <summary>/stream sends its first line, then waits for this before the second: a body that arrives in two bursts.</summary>
    public TaskCompletionSource StreamGate { get; }
    public const string StreamFirst = "first line, sent at once\n";
    public const string StreamSecond = "second line, sent when released\n";
    public int HttpPort { get; }
    public int HttpsPort { get; }
    public const string TrailerName = "x-checksum";
    public const string TrailerValue = "c0ffee";
    public const string GzipText = "this text travelled gzip-compressed";

    /// <param name="http2">HTTPS offers h2 as well in ALPN (Kestrel also accepts RFC 8441 WebSockets over it).</param>
    public static async Task<LocalOrigin> StartAsync(bool http2 = false)
    {
        var (anchor, serverCert) = CreateCertificates();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
            k.Listen(IPAddress.Loopback, 0, o =>
            {
                o.Protocols = http2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                o.UseHttps(serverCert);
            });
        });
        var app = builder.Build();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.UseWebSockets();
        // Trailers after the body (HTTP/2 only in Kestrel): what gRPC-style responses look like.
        app.MapGet("/trailers", async (HttpContext c) =>
        {
            c.Response.DeclareTrailer(TrailerName);
            await c.Response.WriteAsync("body before trailers");
            if (c.Response.SupportsTrailers()) c.Response.AppendTrailer(TrailerName, TrailerValue);
        });
        app.MapGet("/stream", async (HttpContext c, bool sized) =>
        {
            c.Response.ContentType = "text/plain";
            if (sized) c.Response.ContentLength = StreamFirst.Length + StreamSecond.Length;
            await c.Response.WriteAsync(StreamFirst);
            await c.Response.Body.FlushAsync();
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await c.Response.WriteAsync(StreamSecond);
        });
        app.MapGet("/hello", () => "hello from origin");
        app.MapPost("/echo", async (HttpContext c) =>
        {
            c.Response.ContentType = c.Request.ContentType ?? "application/octet-stream";
            await c.Request.Body.CopyToAsync(c.Response.Body);
        });
        app.MapGet("/gzip", async (HttpContext c) =>
        {
            c.Response.Headers.ContentEncoding = "gzip";
            c.Response.ContentType = "text/plain";
            using var ms = new MemoryStream();
            await using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) await gz.WriteAsync(System.Text.Encoding.UTF8.GetBytes(GzipText));
            await c.Response.Body.WriteAsync(ms.ToArray());
        });
        app.MapGet("/big", async (HttpContext c, long bytes) =>
        {
            c.Response.ContentType = "application/octet-stream";
            c.Response.ContentLength = bytes;
            var block = new byte[256 * 1024];
            new Random(7).NextBytes(block);
            for (long sent = 0; sent < bytes; sent += block.Length)
                await c.Response.Body.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, bytes - sent)));
        });
        app.MapPost("/sink", async (HttpContext c) =>
        {
            var buffer = new byte[256 * 1024];
            long total = 0;
            int n;
            while ((n = await c.Request.Body.ReadAsync(buffer)) > 0) total += n;
            return Results.Text(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        app.Map("/ws", async (HttpContext c) =>
        {
            if (!c.WebSockets.IsWebSocketRequest) { c.Response.StatusCode = 400; return; }
            using var ws = await c.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }
                await ws.SendAsync(buffer.AsMemory(0, r.Count), r.MessageType, r.EndOfMessage, CancellationToken.None);
            }
        });
        await app.StartAsync();
        var ports = app.Urls.Select(u => (u, new Uri(u.Replace("[::]", "127.0.0.1")).Port)).ToList();
        var http = ports.Single(p => p.u.StartsWith("http:", StringComparison.Ordinal)).Port;
        var https = ports.Single(p => p.u.StartsWith("https:", StringComparison.Ordinal)).Port;
        return new LocalOrigin(app, anchor, http, https, gate);
    }

    private static (X509Certificate2 Anchor, X509Certificate2 Server) CreateCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Local Origin Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = request.Create(ca, now.AddDays(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(8));
        var server = issued.CopyWithPrivateKey(serverKey);
        return (X509CertificateLoader.LoadCertificate(ca.RawData), server);
    }

    /// <summary>Validation callback trusting only this origin's CA, for the proxy's Forward mode.</summary>
    public System.Net.Security.RemoteCertificateValidationCallback Validator() => (_, certificate, _, errors) =>
    {
        if (certificate is null) return false;
        if ((errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(TrustAnchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
