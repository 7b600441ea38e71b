using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Harness.Flows;
using Harness.Proxy.Layers;

namespace Harness.Proxy.Tests.Layers;

/// <summary>Upstream failures become 502 or 504 with their cause, unless the client already has part of a response.</summary>
public sealed class ExchangeFailureTests
{
    [Test]
    public void RefusedConnection_Is502_WithCauseRefused()
    {
        var failure = ExchangeFailure.Of(new UpstreamException("cannot connect to o.test:80", new SocketException((int)SocketError.ConnectionRefused)), false, false);
        Assert.That(failure.Status, Is.EqualTo(502));
        Assert.That(failure.Cause, Is.EqualTo("refused"));
        Assert.That(Encoding.UTF8.GetString(failure.Response!), Does.StartWith("HTTP/1.1 502 Bad Gateway\r\n").And.Contain("Connection: close").And.Contain("cannot connect to o.test:80"));
    }

    [Test]
    public void SilentOrigin_Is504_WithCauseTimeout()
    {
        var failure = ExchangeFailure.Of(new TimeoutException("upstream did not answer in time: no data for 60 s"), false, false);
        Assert.That(failure.Status, Is.EqualTo(504));
        Assert.That(failure.Error.Kind, Is.EqualTo(FlowErrorKind.Timeout));
        Assert.That(failure.Cause, Is.EqualTo("timeout"));
    }

    [Test]
    public void UntrustedOriginCertificate_Is502_WithCauseTls()
    {
        var failure = ExchangeFailure.Of(new UpstreamException("cannot connect to o.test:443", new AuthenticationException("remote certificate is invalid")), false, false);
        Assert.That((failure.Status, failure.Cause), Is.EqualTo((502, "tls")));
    }

    [Test]
    public void ClientAbort_GetsNoAnswer_AndNoUpstreamCause()
    {
        var failure = ExchangeFailure.Of(new ClientAbortException("client went away"), false, false);
        Assert.That((failure.Error.Kind, failure.Status, failure.Cause), Is.EqualTo((FlowErrorKind.ClientAbort, (int?)null, (string?)null)));
    }

    [Test]
    public void FailureAfterTheResponseStarted_KeepsTheCause_ButSendsNoSecondResponse()
    {
        var failure = ExchangeFailure.Of(new UpstreamException("upstream connection failed while reading the response", new IOException("reset")), false, responseStarted: true);
        Assert.That((failure.Status, failure.Response, failure.Cause), Is.EqualTo(((int?)null, (byte[]?)null, "reset")));
        var flow = new FlowFactory().Flow();
        failure.ApplyTo(flow);
        Assert.That(flow.Tags[UpstreamFailureCause.TagName], Is.EqualTo("reset"));
        Assert.That(flow.Tags.ContainsKey(ExchangeFailure.ProxyStatusTag), Is.False);
    }
}
