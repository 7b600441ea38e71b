using System.Security.Cryptography.X509Certificates;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.VirtualDevice.Tests.Network;

[TestFixture]
public sealed class VirtualInternetAuthorityTests
{
    // GlobalSign Root CA (Mozilla bundle); Android ships it as b0f3e76e.0 (`openssl x509 -subject_hash_old`).
    private const string GlobalSignRootPem = """
        -----BEGIN CERTIFICATE-----
        MIIDdTCCAl2gAwIBAgILBAAAAAABFUtaw5QwDQYJKoZIhvcNAQEFBQAwVzELMAkG
        A1UEBhMCQkUxGTAXBgNVBAoTEEdsb2JhbFNpZ24gbnYtc2ExEDAOBgNVBAsTB1Jv
        b3QgQ0ExGzAZBgNVBAMTEkdsb2JhbFNpZ24gUm9vdCBDQTAeFw05ODA5MDExMjAw
        MDBaFw0yODAxMjgxMjAwMDBaMFcxCzAJBgNVBAYTAkJFMRkwFwYDVQQKExBHbG9i
        YWxTaWduIG52LXNhMRAwDgYDVQQLEwdSb290IENBMRswGQYDVQQDExJHbG9iYWxT
        aWduIFJvb3QgQ0EwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDaDuaZ
        jc6j40+Kfvvxi4Mla+pIH/EqsLmVEQS98GPR4mdmzxzdzxtIK+6NiY6arymAZavp
        xy0Sy6scTHAHoT0KMM0VjU/43dSMUBUc71DuxC73/OlS8pF94G3VNTCOXkNz8kHp
        1Wrjsok6Vjk4bwY8iGlbKk3Fp1S4bInMm/k8yuX9ifUSPJJ4ltbcdG6TRGHRjcdG
        snUOhugZitVtbNV4FpWi6cgKOOvyJBNPc1STE4U6G7weNLWLBYy5d4ux2x8gkasJ
        U26Qzns3dLlwR5EiUWMWea6xrkEmCMgZK9FGqkjWZCrXgzT/LCrBbBlDSgeF59N8
        9iFo7+ryUp9/k5DPAgMBAAGjQjBAMA4GA1UdDwEB/wQEAwIBBjAPBgNVHRMBAf8E
        BTADAQH/MB0GA1UdDgQWBBRge2YaRQ2XyolQL30EzTSo//z9SzANBgkqhkiG9w0B
        AQUFAAOCAQEA1nPnfE920I2/7LqivjTFKDK1fPxsnCwrvQmeU79rXqoRSLblCKOz
        yj1hTdNGCbM+w6DjY1Ub8rrvrTnhQ7k4o+YviiY776BQVvnGCv04zcQLcFGUl5gE
        38NflNUVyRRBnMRddWQVDf9VMOyGj/8N7yy5Y0b2qvzfvGn9LhJIZJrglfCm7ymP
        AbEVtQwdpf5pLGkkeB6zpxxxYu7KyJesF12KwvhHhm4qxFYxldBniYUr+WymXUad
        DKqC5JlR3XC321Y9YeRq4VzW9v493kHMB65jUr9TU/Qr6cf9tveCX4XSQRjbgbME
        HMUfpIBvFSDJ3gyICh3WZlXi/EjJKSZp4A==
        -----END CERTIFICATE-----
        """;

    [Test]
    public void Android_ca_file_name_is_openssl_subject_hash_old()
    {
        using var globalSign = X509Certificate2.CreateFromPem(GlobalSignRootPem);

        Assert.That(AndroidCaFileName.Of(globalSign), Is.EqualTo("b0f3e76e.0"));
    }

    [Test]
    public void Root_is_a_ca_without_private_key_and_leaves_chain_to_it_with_the_host_name()
    {
        using var authority = VirtualInternetAuthority.Create();
        var root = authority.RootCertificate;
        using var leaf = authority.LeafCertificateFor("sa.api.intl.miui.com");

        Assert.Multiple(() =>
        {
            Assert.That(root.HasPrivateKey, Is.False);
            Assert.That(root.Subject, Does.Contain("CN=Virtual Internet Root CA"));
            Assert.That(root.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority, Is.True);
            Assert.That(authority.RootCertificatePem, Does.StartWith("-----BEGIN CERTIFICATE-----"));
            Assert.That(authority.RootAndroidCaFileName, Does.Match("^[0-9a-f]{8}\\.0$"));
            Assert.That(leaf.Issuer, Is.EqualTo(root.Subject));
            Assert.That(leaf.MatchesHostname("sa.api.intl.miui.com"), Is.True);
            Assert.That(leaf.MatchesHostname("evil.example"), Is.False);
        });

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        Assert.That(chain.Build(leaf), Is.True, string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Test]
    public async Task Resolved_addresses_are_stable_labels_outside_public_space()
    {
        using var authority = VirtualInternetAuthority.Create();
        await using var internet = VirtualInternet.Start(authority);

        var first = internet.ResolveHost("sa.api.intl.miui.com");

        Assert.Multiple(() =>
        {
            Assert.That(internet.ResolveHost("SA.api.intl.miui.com"), Is.EqualTo(first));
            Assert.That(first.GetAddressBytes()[0], Is.EqualTo(198));
            Assert.That(first.GetAddressBytes()[1], Is.AnyOf(18, 19));
            Assert.That(internet.ResolveHost("example.org"), Is.Not.EqualTo(first));
            Assert.That(internet.ResolveHost("8.8.8.8").ToString(), Is.EqualTo("8.8.8.8"));
            Assert.That(internet.EndPoint.Address.ToString(), Is.EqualTo("127.0.0.1"));
        });
    }
}
