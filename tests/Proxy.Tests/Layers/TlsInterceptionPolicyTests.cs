using System.Net.Security;
using System.Security.Authentication;
using Harness.Flows;
using Harness.Proxy.Layers;

namespace Harness.Proxy.Tests.Layers;

/// <summary>TLS interception decisions from first bytes, ALPN and handshake failures, without a socket.</summary>
public sealed class TlsInterceptionPolicyTests
{
    [TestCase((byte)0x16, "Tls")]
    [TestCase((byte)'G', "PlainHttp")]
    [TestCase((byte)'P', "PlainHttp")]
    [TestCase((byte)0x00, "Opaque")]
    [TestCase((byte)'g', "Opaque")]
    public void FirstByte_DecidesWhatTheTunnelCarries(byte first, string expected) =>
        Assert.That(TlsInterceptionPolicy.Classify(first).ToString(), Is.EqualTo(expected));

    [Test]
    public void Alpn_OffersH2First_OnlyWhenEnabled()
    {
        Assert.That(TlsInterceptionPolicy.OfferedToClient(http2: true), Is.EqualTo(new[] { SslApplicationProtocol.Http2, SslApplicationProtocol.Http11 }));
        Assert.That(TlsInterceptionPolicy.OfferedToClient(http2: false), Is.EqualTo(new[] { SslApplicationProtocol.Http11 }));
        Assert.That(TlsInterceptionPolicy.IsHttp2(SslApplicationProtocol.Http2), Is.True);
        Assert.That(TlsInterceptionPolicy.IsHttp2(default), Is.False);
    }

    [Test]
    public void RefusedCertificate_IsClientRejectedUntrusted_WithTheAlertInTheDetail()
    {
        var (outcome, detail, error) = TlsInterceptionPolicy.Failure(new AuthenticationException("handshake failed", new Exception("error:0A000418:SSL routines::tlsv1 alert unknown ca")), false, TimeSpan.FromSeconds(15));
        Assert.That((outcome, error.Kind), Is.EqualTo((TlsOutcome.ClientRejectedUntrusted, FlowErrorKind.TlsHandshake)));
        Assert.That(detail, Does.Contain("unknown ca"));
    }

    [Test]
    public void UnfinishedHandshake_IsATimeout_NamingTheLimit()
    {
        var (outcome, detail, error) = TlsInterceptionPolicy.Failure(new OperationCanceledException(), true, TimeSpan.FromSeconds(15));
        Assert.That((outcome, error.Kind, detail), Is.EqualTo((TlsOutcome.Failed, FlowErrorKind.Timeout, "handshake not finished within 15 s")));
    }
}
