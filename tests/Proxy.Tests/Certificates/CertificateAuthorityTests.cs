using Harness.TestSupport;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Harness.Proxy.Certificates;
using Harness.Proxy.Tests.Support;

namespace Harness.Proxy.Tests.Certificates;

public sealed class CertificateAuthorityTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Directory.CreateTempSubdirectory("harness-ca-test-").FullName, "ca");

    [TearDown]
    public void TearDown() => Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true);

    [TestCase(CaKeyAlgorithm.EcdsaP256)]
    [TestCase(CaKeyAlgorithm.Rsa2048)]
    public void CreatedOnFirstUse_OwnerOnly_TenYears_AndReloadedAfterwards(CaKeyAlgorithm algorithm)
    {
        using var ca = CertificateAuthority.LoadOrCreate(_dir, algorithm);
        var cert = ca.PublicCertificate;
        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(_dir), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(File.GetUnixFileMode(Path.Combine(_dir, CertificateAuthority.KeyFileName)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That((cert.NotAfter - cert.NotBefore).TotalDays, Is.InRange(3650, 3655));
            var basic = cert.Extensions.OfType<X509BasicConstraintsExtension>().Single();
            Assert.That(basic.CertificateAuthority, Is.True);
            Assert.That(basic.Critical, Is.True);
            Assert.That(cert.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign), Is.True);
            Assert.That(cert.HasPrivateKey, Is.False, "the public certificate carries no key");
            if (algorithm == CaKeyAlgorithm.Rsa2048) Assert.That(cert.GetRSAPublicKey()!.KeySize, Is.EqualTo(2048));
            else Assert.That(cert.GetECDsaPublicKey()!.KeySize, Is.EqualTo(256));
        });
        using var again = CertificateAuthority.LoadOrCreate(_dir, algorithm);
        Assert.That(again.PublicCertificate.Thumbprint, Is.EqualTo(cert.Thumbprint), "second use loads, does not recreate");
    }

    [Test]
    public async Task ConcurrentFirstUsesAgreeOnOneCaAndLeaveNoPartialFiles()
    {
        // A fresh machine: the rack run and parallel test processes may all create the CA at the same moment.
        using var start = new Barrier(12);
        // Dedicated threads: twelve callers blocked on the barrier would otherwise wait for the thread pool to grow.
        var thumbprints = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            using var ca = CertificateAuthority.LoadOrCreate(_dir);
            return ca.PublicCertificate.Thumbprint;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
        Assert.That(thumbprints.Distinct().Count(), Is.EqualTo(1), "every caller got the same CA");
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.SupersetOf(new[] { CertificateAuthority.CertificateFileName, CertificateAuthority.KeyFileName }));
        Assert.That(Directory.GetFiles(_dir, "*.partial"), Is.Empty, "no half-written file is left");
        using var loaded = CertificateAuthority.LoadOrCreate(_dir);
        Assert.That(loaded.Certificate.HasPrivateKey, Is.True, "the pair on disk matches");
    }

    [Test]
    public void AKeyWithoutItsCertificateGetsACertificateForThatKey()
    {
        string keyPem;
        using (var first = CertificateAuthority.LoadOrCreate(_dir)) keyPem = File.ReadAllText(Path.Combine(_dir, CertificateAuthority.KeyFileName));
        File.Delete(Path.Combine(_dir, CertificateAuthority.CertificateFileName));
        using var again = CertificateAuthority.LoadOrCreate(_dir);
        Assert.That(File.ReadAllText(Path.Combine(_dir, CertificateAuthority.KeyFileName)), Is.EqualTo(keyPem), "the key is kept");
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(keyPem);
        Assert.That(again.PublicCertificate.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
    }

    [Test]
    public void Exports_PemDer_AndAndroidNameMatchesOpenSsl()
    {
        using var ca = CertificateAuthority.LoadOrCreate(_dir);
        var pemPath = Path.Combine(_dir, "..", "export.pem");
        File.WriteAllBytes(pemPath, ca.Export(CertificateExportFormat.Pem));
        Assert.That(X509CertificateLoader.LoadCertificate(ca.Export(CertificateExportFormat.Der)).Thumbprint, Is.EqualTo(ca.PublicCertificate.Thumbprint));
        Assert.That(File.ReadAllText(pemPath), Does.StartWith("-----BEGIN CERTIFICATE-----").And.Not.Contain("PRIVATE"));
        Assert.That(ca.Export(CertificateExportFormat.Android), Is.EqualTo(ca.Export(CertificateExportFormat.Pem)));

        var openssl = RequiredTool.Locate("openssl", "apt-get install openssl");
        var result = ProcessRunner.RunAsync(openssl, ["x509", "-inform", "PEM", "-subject_hash_old", "-noout", "-in", pemPath]).GetAwaiter().GetResult();
        Assert.That(result.StdOut.Trim(), Is.EqualTo(ca.SubjectHashOld));
        Assert.That(ca.AndroidSystemStoreFileName, Is.EqualTo(ca.SubjectHashOld + ".0"));
    }

    [TestCase(CaKeyAlgorithm.EcdsaP256)]
    [TestCase(CaKeyAlgorithm.Rsa2048)]
    public void Leaves_HaveSanEkuKeyUsage_NoSki_AkiFromCa_BackdatedAndShortLived(CaKeyAlgorithm algorithm)
    {
        using var ca = CertificateAuthority.LoadOrCreate(_dir, algorithm);
        using var issuer = new LeafCertificateIssuer(ca);
        var dnsLeaf = issuer.Issue("tracking.example.test");
        var ipLeaf = issuer.Issue("127.0.0.1");
        var caSki = ca.PublicCertificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier;
        Assert.Multiple(() =>
        {
            Assert.That(dnsLeaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames(), Is.EqualTo(new[] { "tracking.example.test" }));
            Assert.That(ipLeaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses(), Is.EqualTo(new[] { IPAddress.Loopback }));
            var eku = dnsLeaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value);
            Assert.That(eku, Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.1" }));
            var usage = dnsLeaf.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages;
            Assert.That(usage, Is.EqualTo(algorithm == CaKeyAlgorithm.Rsa2048
                ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
                : X509KeyUsageFlags.DigitalSignature));
            Assert.That(dnsLeaf.Extensions.OfType<X509SubjectKeyIdentifierExtension>(), Is.Empty, "no SKI on leaves (mitmproxy#6494)");
            var aki = dnsLeaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
            Assert.That(Convert.ToHexString(aki.KeyIdentifier!.Value.Span), Is.EqualTo(caSki));
            Assert.That((DateTime.UtcNow - dnsLeaf.NotBefore.ToUniversalTime()).TotalDays, Is.InRange(1.9, 2.1));
            Assert.That((dnsLeaf.NotAfter - dnsLeaf.NotBefore).TotalDays, Is.InRange(198, 200));
            Assert.That(dnsLeaf.HasPrivateKey, Is.True);
            Assert.That(dnsLeaf.PublicKey.EncodedKeyValue.RawData, Is.EqualTo(ipLeaf.PublicKey.EncodedKeyValue.RawData), "one leaf key pair for every host");
            Assert.That(dnsLeaf.SerialNumber, Is.Not.EqualTo(ipLeaf.SerialNumber));
        });

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.PublicCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        Assert.That(chain.Build(dnsLeaf), Is.True, string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Test]
    public void LeafCache_ReturnsTheSameContextPerHost_AndIsBounded()
    {
        using var ca = CertificateAuthority.LoadOrCreate(_dir);
        using var issuer = new LeafCertificateIssuer(ca, capacity: 3);
        var first = issuer.GetContext("a.test");
        Assert.That(issuer.GetContext("A.TEST"), Is.SameAs(first));
        foreach (var h in new[] { "b.test", "c.test", "d.test", "e.test" }) issuer.GetContext(h);
        Assert.That(issuer.CachedCount, Is.EqualTo(3));
        Assert.That(issuer.GetContext("a.test"), Is.Not.SameAs(first), "evicted first-in, issued anew");
    }
}
