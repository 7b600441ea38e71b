using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ProxyBench;

/// <summary>HTTPS/1.1 Kestrel origin on 127.0.0.1 serving /bytes?n=N from a throwaway CA (written as PEM for the proxies).</summary>
internal sealed class BenchOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchOrigin(WebApplication app, int port, string caPemPath)
    {
        _app = app;
        Port = port;
        CaPemPath = caPemPath;
    }

    public int Port { get; }
    public string CaPemPath { get; }

    public static async Task<BenchOrigin> StartAsync(string workDir)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=ProxyBench Origin CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = request.Create(ca, now.AddDays(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(8));
        var server = issued.CopyWithPrivateKey(key);
        var caPem = Path.Combine(workDir, "origin-ca.pem");
        await File.WriteAllTextAsync(caPem, ca.ExportCertificatePem() + "\n");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
        {
            o.Protocols = HttpProtocols.Http1;
            o.UseHttps(server);
        }));
        var app = builder.Build();
        var payload = new byte[1024 * 1024];
        new Random(1).NextBytes(payload);
        app.MapGet("/bytes", (int n) => Results.Bytes(payload.AsMemory(0, n), "application/octet-stream"));
        await app.StartAsync();
        return new BenchOrigin(app, new Uri(app.Urls.Single()).Port, caPem);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
