using System.Text;
using Harness.Flows;
using Harness.Proxy.Addons;
using Harness.Proxy.Http1;
using Harness.Proxy.Layers;

namespace Harness.Proxy.Tests.Layers;

/// <summary>
/// mitmproxy's Playbook for <see cref="Http1ClientLayer"/>: a pump without sockets. Client and origin bytes go through
/// the real parsers, the layer's commands come back as readable lines (see <see cref="Http1Playbook.Render"/>), and the
/// commands that need an answer are answered as <c>ClientConnection</c> answers them: flows are opened and completed
/// through a real <see cref="FlowLifecycle"/>, addon events call <see cref="OnRequestHeaders"/>, the origin's parser
/// learns the request method, a paused client parser resumes, a command that fails becomes the layer's failure.
/// </summary>
internal sealed class Http1ClientPlaybook
{
    private readonly Http1RequestParser _clientParser = new();
    private readonly Http1ResponseParser _upstreamParser = new();
    private readonly Queue<Http1Event> _fromClient = new();
    private readonly Queue<Http1Event> _fromUpstream = new();
    private readonly List<Http1Event> _scratch = [];
    private readonly List<ProxyCommand> _commands = [];
    private readonly List<string> _lines = [];
    private readonly FlowLifecycle _flows;
    private bool _clientEof;
    private bool _upstreamEof;

    public Http1ClientPlaybook(string scheme = "http", string? tunnelHost = null, int tunnelPort = 0, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        _flows = new FlowLifecycle(() => Guid.NewGuid().ToString("N"), time, new AddonPipeline([]));
        Layer = new Http1ClientLayer(scheme, tunnelHost, tunnelPort, 1 << 20, time);
    }

    public Http1ClientLayer Layer { get; }

    /// <summary>What the request-headers addons do (answer locally, for one).</summary>
    public Action<ProxySession>? OnRequestHeaders { get; init; }

    /// <summary>When set, connecting upstream fails with it (as the pump's connect would throw).</summary>
    public Exception? ConnectFailure { get; set; }

    /// <summary>Every flow completed, in order.</summary>
    public List<Flow> Completed { get; } = [];

    /// <summary>Flows opened and not completed: 0 when every exchange got exactly one flow.</summary>
    public int OpenFlows => _flows.OpenCount;

    public List<string> Client(string wire) => Feed(_clientParser, _fromClient, wire);

    public List<string> ClientCloses()
    {
        _clientEof = true;
        return Feed(_clientParser, _fromClient, null);
    }

    public List<string> Upstream(string wire) => Feed(_upstreamParser, _fromUpstream, wire);

    public List<string> UpstreamCloses()
    {
        _upstreamEof = true;
        return Feed(_upstreamParser, _fromUpstream, null);
    }

    /// <summary>Bytes (or the end, for null) through one side's parser, then the layer runs until it waits for more.</summary>
    private List<string> Feed(Http1MessageParser parser, Queue<Http1Event> queue, string? wire)
    {
        if (wire is null) parser.FeedEof(_scratch);
        else parser.Feed(Encoding.Latin1.GetBytes(wire), _scratch);
        Enqueue(queue);
        return Run();
    }

    /// <summary>What the client sends first in the tunnel after our 200 (empty: nothing before it closed).</summary>
    public List<string> TunnelStarts(string first)
    {
        _commands.Clear();
        Layer.TunnelStarted(Encoding.Latin1.GetBytes(first), _commands);
        Execute();
        return Run();
    }

    /// <summary>Reading the origin's response failed (reset, timeout).</summary>
    public List<string> UpstreamReadFails(Exception e)
    {
        _commands.Clear();
        Layer.UpstreamReadFailed(e, _commands);
        Execute();
        return Run();
    }

    private void Enqueue(Queue<Http1Event> queue)
    {
        foreach (var ev in _scratch) queue.Enqueue(ev);
        _scratch.Clear();
    }

    /// <summary>Feed the layer what it wants while there is some, executing each batch before the next event.</summary>
    private List<string> Run()
    {
        while (true)
        {
            _commands.Clear();
            switch (Layer.Wants)
            {
                case Http1ClientWants.ClientEvent:
                    if (_fromClient.TryDequeue(out var fromClient)) Layer.HandleClient(fromClient, _commands);
                    else if (_clientEof || _clientParser.IsPaused || _clientParser.IsDead) Layer.HandleClient(null, _commands);
                    else return Take();
                    break;
                case Http1ClientWants.UpstreamEvent:
                    if (_fromUpstream.TryDequeue(out var fromUpstream)) Layer.HandleUpstream(fromUpstream, _commands);
                    else if (_upstreamEof || _upstreamParser.IsDead) Layer.HandleUpstream(null, _commands);
                    else return Take();
                    break;
                case Http1ClientWants.Continue:
                    Layer.Continue(_commands);
                    break;
                default:
                    return Take();
            }
            Execute();
        }
    }

    private void Execute()
    {
        for (var i = 0; i < _commands.Count; i++)
        {
            var command = _commands[i];
            _lines.Add(Http1Playbook.Render(command));
            switch (command.Kind)
            {
                case ProxyCommandKind.OpenFlow:
                    Layer.FlowOpened(_flows.Open(new ClientContext("127.0.0.1:1"), command.FlowKind, command.Host!, command.Port, command.Scheme!,
                        command.Start == default ? null : command.Start), _commands);
                    break;
                case ProxyCommandKind.CompleteFlow:
                    Layer.FlowCompleted();
                    Completed.Add(Layer.Session!.Flow);
                    _flows.CompleteAsync(Layer.Session).GetAwaiter().GetResult();
                    break;
                case ProxyCommandKind.RaiseAddonEvent when command.Event == AddonEvent.RequestHeaders:
                    OnRequestHeaders?.Invoke(Layer.Session!);
                    break;
                case ProxyCommandKind.ConnectUpstream when ConnectFailure is { } failure:
                    // The pump's connect threw: the rest of the batch is dropped and the layer records the failure.
                    _commands.Clear();
                    i = -1;
                    Layer.Fail(failure, proxyStopping: false, _commands);
                    break;
                case ProxyCommandKind.ExpectUpstreamResponse:
                    _upstreamParser.ExpectResponseTo(command.Method!);
                    break;
                case ProxyCommandKind.ResumeClient:
                    _clientParser.Resume(_scratch);
                    Enqueue(_fromClient);
                    break;
            }
        }
    }

    private List<string> Take()
    {
        var lines = _lines.ToList();
        _lines.Clear();
        return lines;
    }
}
