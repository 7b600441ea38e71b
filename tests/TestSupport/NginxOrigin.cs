using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Harness.TestSupport;

/// <summary>
/// A real origin: Debian's nginx, started in the foreground (no daemon, no master) from a generated config in a temp
/// folder, serving HTTPS on two loopback ports: one with a certificate from the origin's own CA (<see cref="CaPemPath"/>,
/// which a client must be told to trust), one with a certificate from a CA nobody trusts; plus the trusted site over
/// HTTP/2: with TLS and ALPN (h2 or http/1.1) on <see cref="Http2Port"/>, in clear text with prior knowledge (h2c) on
/// <see cref="H2cPort"/>. It is killed on dispose.
/// </summary>
public sealed class NginxOrigin : IAsyncDisposable
{
    private readonly Process _process;

    private NginxOrigin(string root, Process process, int trustedPort, int untrustedPort, int plainPort, int http2Port, int h2cPort)
    {
        Root = root;
        _process = process;
        TrustedPort = trustedPort;
        UntrustedPort = untrustedPort;
        PlainPort = plainPort;
        Http2Port = http2Port;
        H2cPort = h2cPort;
    }

    /// <summary>The text of every page's body besides its title; <see cref="PageFor"/> writes it.</summary>
    public const string Marker = "served by the test's own nginx origin";

    public string Root { get; }

    /// <summary>PEM of the CA that issued the trusted port's certificate.</summary>
    public string CaPemPath => Path.Combine(Root, "origin-ca.pem");

    public int TrustedPort { get; }
    public int UntrustedPort { get; }
    public int PlainPort { get; }

    /// <summary>The trusted site (same certificate, same locations) over TLS offering h2 and http/1.1 in ALPN.</summary>
    public int Http2Port { get; }

    /// <summary>The trusted site's locations over clear-text HTTP/2 with prior knowledge (no TLS, no Upgrade).</summary>
    public int H2cPort { get; }

    /// <summary>What / answers (the same for every host name).</summary>
    public static string PageFor(string title) => $"<!doctype html><html><head><title>{title}</title></head><body><p>{Marker}</p></body></html>\n";

    /// <param name="hostNames">Names the trusted certificate is valid for (SAN); the untrusted one gets the same names.</param>
    /// <param name="pageTitle">Title of the page at /.</param>
    /// <param name="bodySizes">Sizes served as <c>/bytes?n=SIZE</c> on the trusted port (for benchmarks).</param>
    public static async Task<NginxOrigin> StartAsync(IReadOnlyList<string> hostNames, string pageTitle = "Origin", IReadOnlyList<int>? bodySizes = null, CancellationToken ct = default)
    {
        var nginx = RequiredTool.Find("nginx") ?? RequiredTool.Find("/usr/sbin/nginx") ?? RequiredTool.Locate("nginx", "apt-get install nginx");
        var root = Directory.CreateTempSubdirectory("harness-nginx-").FullName;
        try
        {
            WriteCertificates(root, hostNames);
            Directory.CreateDirectory(Path.Combine(root, "www"));
            Directory.CreateDirectory(Path.Combine(root, "tmp"));
            await File.WriteAllTextAsync(Path.Combine(root, "www", "index.html"), PageFor(pageTitle), ct);
            foreach (var size in bodySizes ?? [])
                await File.WriteAllBytesAsync(Path.Combine(root, "www", "bytes-" + size), Enumerable.Range(0, size).Select(i => (byte)('a' + i % 26)).ToArray(), ct);
            var (trusted, untrusted, plain, http2, h2c) = (FreePort(), FreePort(), FreePort(), FreePort(), FreePort());
            await File.WriteAllTextAsync(Path.Combine(root, "nginx.conf"), Config(root, trusted, untrusted, plain, http2, h2c), ct);
            var start = new ProcessStartInfo(nginx) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-p", root + "/", "-e", Path.Combine(root, "error.log"), "-c", Path.Combine(root, "nginx.conf") }) start.ArgumentList.Add(a);
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nginx");
            var origin = new NginxOrigin(root, process, trusted, untrusted, plain, http2, h2c);
            try
            {
                await origin.WaitListeningAsync(ct);
            }
            catch
            {
                await origin.DisposeAsync();
                throw;
            }
            return origin;
        }
        catch
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }

    private async Task WaitListeningAsync(CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        foreach (var port in new[] { TrustedPort, UntrustedPort, PlainPort, Http2Port, H2cPort })
        {
            while (true)
            {
                if (_process.HasExited)
                    throw new InvalidOperationException($"nginx exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync(ct)} {ReadErrorLog()}");
                using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await probe.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
                    break;
                }
                catch (SocketException)
                {
                    // Not listening yet: nginx binds after reading its config; wait for its next step, not a fixed time.
                    await Task.Yield();
                    await Task.Delay(20, deadline.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new TimeoutException($"nginx did not listen on {port} within 30 s: {ReadErrorLog()}");
                }
            }
        }
    }

    private string ReadErrorLog()
    {
        var log = Path.Combine(Root, "error.log");
        return File.Exists(log) ? File.ReadAllText(log) : "";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // nginx 1.22 (Debian 12) turns HTTP/2 on with the listen parameter; from 1.25.1 that is `http2 on;`, and the listen
    // parameter still works there (with a deprecation warning).
    private static string Config(string root, int trusted, int untrusted, int plain, int http2, int h2c) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{root}}/nginx.pid;
        error_log {{root}}/error.log warn;
        events { worker_connections 1024; }
        http {
            access_log off;
            default_type text/html;
            keepalive_requests 100000;
            client_body_temp_path {{root}}/tmp/body;
            proxy_temp_path {{root}}/tmp/proxy;
            fastcgi_temp_path {{root}}/tmp/fastcgi;
            uwsgi_temp_path {{root}}/tmp/uwsgi;
            scgi_temp_path {{root}}/tmp/scgi;
            root {{root}}/www;
            server {
                listen 127.0.0.1:{{trusted}} ssl;
                ssl_certificate {{root}}/trusted.pem;
                ssl_certificate_key {{root}}/trusted.key;
                location = /host { default_type text/plain; return 200 "host=$host sni=$ssl_server_name\n"; }
                location = /bytes { default_type application/octet-stream; try_files /bytes-$arg_n =404; }
            }
            server {
                listen 127.0.0.1:{{untrusted}} ssl;
                ssl_certificate {{root}}/untrusted.pem;
                ssl_certificate_key {{root}}/untrusted.key;
            }
            server {
                listen 127.0.0.1:{{http2}} ssl http2;
                ssl_certificate {{root}}/trusted.pem;
                ssl_certificate_key {{root}}/trusted.key;
                location = /host { default_type text/plain; return 200 "host=$host sni=$ssl_server_name proto=$server_protocol\n"; }
                location = /bytes { default_type application/octet-stream; try_files /bytes-$arg_n =404; }
            }
            server {
                listen 127.0.0.1:{{h2c}} http2;
                location = /host { default_type text/plain; return 200 "host=$host proto=$server_protocol\n"; }
                location = /bytes { default_type application/octet-stream; try_files /bytes-$arg_n =404; }
            }
            server {
                listen 127.0.0.1:{{plain}};
                location = /host { default_type text/plain; return 200 "host=$host\n"; }
            }
        }
        """;

    private static void WriteCertificates(string root, IReadOnlyList<string> hostNames)
    {
        using var ca = CreateCa("Harness test origin CA");
        using var stranger = CreateCa("A CA nobody trusts");
        File.WriteAllText(Path.Combine(root, "origin-ca.pem"), ca.Certificate.ExportCertificatePem() + "\n");
        WriteLeaf(root, "trusted", ca, hostNames);
        WriteLeaf(root, "untrusted", stranger, hostNames);
    }

    private sealed record Authority(X509Certificate2 Certificate, ECDsa Key) : IDisposable
    {
        public void Dispose()
        {
            Certificate.Dispose();
            Key.Dispose();
        }
    }

    private static Authority CreateCa(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new Authority(request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30)), key);
    }

    private static void WriteLeaf(string root, string name, Authority issuer, IReadOnlyList<string> hostNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hostNames[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var host in hostNames)
        {
            if (IPAddress.TryParse(host, out var ip)) san.AddIpAddress(ip);
            else san.AddDnsName(host);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        // A day inside the CA's validity: the CA was made a moment earlier, and a leaf may not outlive its issuer
        // (a notAfter one second later than the CA's failed this now and then).
        using var leaf = request.Create(issuer.Certificate, now.AddDays(-1), now.AddDays(29), serial);
        File.WriteAllText(Path.Combine(root, name + ".pem"), leaf.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(root, name + ".key"), key.ExportPkcs8PrivateKeyPem() + "\n");
    }
}
