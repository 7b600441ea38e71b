using System.Text;
using Harness.Flows;
using Harness.Proxy.Capture;
using Harness.Proxy.Http1;
using Harness.Proxy.Layers;

namespace Harness.Proxy.Tests.Layers;

/// <summary>The client's HTTP/1.1 request body layer, driven with client bytes; its commands for the origin are checked.</summary>
public sealed class Http1RequestBodyLayerTests
{
    private static (Http1Playbook Playbook, Http1RequestBodyLayer Layer, Flow Flow) Start(Http1RequestParser parser, string headWire, bool toUpstream = true)
    {
        var events = new List<Http1Event>();
        parser.Feed(Encoding.Latin1.GetBytes(headWire), events);
        var head = (Http1RequestHead)events[0];
        var flow = new FlowFactory().Flow();
        var layer = new Http1RequestBodyLayer(head, flow, new BodyCapture(1 << 20), toUpstream);
        var play = new Http1Playbook(parser, layer.Handle) { Done = () => layer.Complete };
        // Events that came with the head (a small body in the same read) go through the layer first.
        foreach (var ev in events.Skip(1)) play.Feed("");
        return (play, layer, flow);
    }

    [Test]
    public void ChunkedBody_IsReframedChunkByChunk_WithTrailers()
    {
        var parser = new Http1RequestParser();
        var (play, layer, flow) = Start(parser, "POST /up HTTP/1.1\r\nHost: o.test\r\nTransfer-Encoding: chunked\r\n\r\n");
        var lines = play.Feed("4\r\nwiki\r\n5\r\npedia\r\n0\r\nX-Checksum: 9\r\n\r\n");
        Assert.That(lines, Is.EqualTo(new[]
        {
            "upstream< 4\r\n", "upstream< wiki", "upstream< \r\n",
            "upstream< 5\r\n", "upstream< pedia", "upstream< \r\n",
            "upstream< 0\r\nX-Checksum: 9\r\n\r\n",
        }));
        Assert.That(layer.Complete, Is.True);
        Assert.That(flow.RequestTrailers, Is.EqualTo(new[] { new HeaderField("X-Checksum", "9") }));
    }

    [Test]
    public void PipelinedRequestAfterTheBody_IsNotEatenByIt()
    {
        var parser = new Http1RequestParser();
        var (play, layer, _) = Start(parser, "POST /1 HTTP/1.1\r\nHost: o.test\r\nContent-Length: 3\r\n\r\n");
        var lines = play.Feed("abcGET /2 HTTP/1.1\r\nHost: o.test\r\n\r\n");
        Assert.That(lines, Is.EqualTo(new[] { "upstream< abc" }));
        Assert.That(layer.Complete, Is.True);
        Assert.That(play.Unhandled.OfType<Http1RequestHead>().Single().Target, Is.EqualTo("/2"));
    }

    [Test]
    public void LocalAnswer_ReadsTheBodyForTheFlow_AndSendsNothingUpstream()
    {
        var parser = new Http1RequestParser();
        var (play, layer, flow) = Start(parser, "POST /1 HTTP/1.1\r\nHost: o.test\r\nContent-Length: 5\r\n\r\n", toUpstream: false);
        Assert.That(play.Feed("hello"), Is.Empty);
        Assert.That(layer.Complete, Is.True);
    }

    [Test]
    public void ClientLeavingMidBody_IsAClientAbort()
    {
        var parser = new Http1RequestParser();
        var (play, _, _) = Start(parser, "POST /1 HTTP/1.1\r\nHost: o.test\r\nContent-Length: 50\r\n\r\n");
        play.Feed("partial");
        Assert.Throws<ClientAbortException>(() => play.End());
    }
}
