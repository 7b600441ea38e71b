using System.Globalization;
using System.Net.Sockets;
using Harness.Flows;
using Harness.Proxy.Addons;
using Harness.Proxy.Capture;
using Harness.Proxy.Http1;

namespace Harness.Proxy.Layers;

/// <summary>
/// One client's HTTP/1.1 connection, without I/O: the request loop and every decision of an exchange. Events go in (the
/// client's and the origin's parser events, read failures, "the addons have run", a tunnel's first bytes), commands come
/// out (open a flow, raise an addon event, connect upstream, send, flush, intercept TLS or serve or relay a tunnel, hand
/// a WebSocket over, complete the flow, close), and <see cref="Wants"/> says what it waits for next. Every exchange opens exactly one flow and completes it, whatever
/// fails: a parse error becomes its status answer and a protocol-error flow, a target nobody can route a 400, an origin
/// that fails before the response starts a 502 (504 on a timeout). The request body and the response are the
/// <see cref="Http1RequestBodyLayer"/> and <see cref="Http1ResponseRelayLayer"/>.
/// </summary>
/// <param name="scheme">"http" or "https" (inside intercepted TLS).</param>
/// <param name="tunnelHost">The CONNECT target when serving inside a tunnel (requests go there; CONNECT is not allowed).</param>
/// <param name="scratch">At least <see cref="Http1ResponseRelayLayer.CoalesceLimit"/> bytes for a response head with its first body bytes.</param>
internal sealed class Http1ClientLayer(string scheme, string? tunnelHost, int tunnelPort, long maxBodyBytes, TimeProvider time, byte[]? scratch = null)
{
    private static readonly byte[] Continue100 = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();
    private static readonly byte[] ConnectionEstablished = "HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray();

    private Http1ClientPhase _phase;
    private Http1RequestHead? _head;
    private Http1ParseError? _parseError;
    private string _host = "";
    private int _port;
    private string _urlScheme = "";
    private string _originTarget = "";
    private string _url = "";
    private Flow? _flow;
    private BodyCapture? _requestCapture;
    private BodyCapture? _responseCapture;
    private Http1RequestBodyLayer? _body;
    private Http1ResponseRelayLayer? _response;
    private bool _keepAlive;
    private bool _local;
    private bool _requestComplete;
    private bool _localResponseStarted;
    private List<HeaderField>? _localHeaders;
    /// <summary>When the CONNECT being answered came (the tunnel's flows start then).</summary>
    private DateTimeOffset _connectStart;
    /// <summary>The origin's response to this exchange is being relayed (<see cref="_response"/> belongs to it).</summary>
    private bool _responding;

    public Http1ClientWants Wants { get; private set; } = Http1ClientWants.ClientEvent;

    /// <summary>The open flow's session (what addons get), from <see cref="FlowOpened"/> until the next flow.</summary>
    public ProxySession? Session { get; private set; }

    /// <summary>Request heads seen on this connection (CONNECT included): a TLS connection that served none is recorded.</summary>
    public int RequestsServed { get; private set; }

    /// <summary>One event from the client's parser; null when the client closed (or the parser paused or died).</summary>
    public void HandleClient(Http1Event? ev, List<ProxyCommand> commands)
    {
        switch (_phase)
        {
            case Http1ClientPhase.Idle:
                StartExchange(ev, commands);
                return;
            case Http1ClientPhase.ConnectHead:
                AnswerConnect(ev, commands);
                return;
            case Http1ClientPhase.RequestBody:
                try
                {
                    _body!.Handle(ev, commands);
                }
                catch (ClientAbortException e)
                {
                    Fail(e, proxyStopping: false, commands);
                    return;
                }
                if (_body.Complete) RequestBodyDone(commands);
                return;
            default:
                throw new InvalidOperationException($"client event in phase {_phase}");
        }
    }

    /// <summary>Reading from the client failed. Between exchanges the connection just ends; mid-body the client aborted.</summary>
    public void ClientReadFailed(Exception e, List<ProxyCommand> commands)
    {
        if (_phase != Http1ClientPhase.RequestBody)
        {
            Close(commands);
            return;
        }
        Fail(e is IOException or SocketException ? new ClientAbortException("client connection failed while sending the request body", e) : e, proxyStopping: false, commands);
    }

    /// <summary>One event from the origin's parser; null when the origin closed.</summary>
    public void HandleUpstream(Http1Event? ev, List<ProxyCommand> commands)
    {
        if (_phase != Http1ClientPhase.Response) throw new InvalidOperationException($"upstream event in phase {_phase}");
        try
        {
            _response!.Handle(ev, commands);
        }
        catch (UpstreamException e)
        {
            Fail(e, proxyStopping: false, commands);
            return;
        }
        if (_response.Outcome is { } outcome) ResponseDone(outcome, commands);
    }

    /// <summary>Reading the origin's response failed or timed out.</summary>
    public void UpstreamReadFailed(Exception e, List<ProxyCommand> commands) => Fail(e switch
    {
        TimeoutException => new TimeoutException("upstream did not answer in time: " + e.Message),
        IOException or SocketException => new UpstreamException("upstream connection failed while reading the response", e),
        _ => e,
    }, proxyStopping: false, commands);

    /// <summary>The pump opened the flow asked for with <see cref="ProxyCommandKind.OpenFlow"/>; the commands that follow go after it.</summary>
    public void FlowOpened(Flow flow, List<ProxyCommand> commands)
    {
        _flow = flow;
        Session = new ProxySession(flow);
        var head = _head;
        switch (_phase)
        {
            case Http1ClientPhase.OpeningProtocolError:
                var error = _parseError!;
                var reason = error.StatusCode switch { 431 => "Request Header Fields Too Large", 501 => "Not Implemented", 505 => "HTTP Version Not Supported", _ => "Bad Request" };
                flow.Error = new FlowError(FlowErrorKind.ProtocolError, error.Message);
                flow.StatusCode = error.StatusCode;
                flow.Reason = reason;
                commands.Add(ProxyCommand.TryToClient(Http1Writer.SimpleResponse(error.StatusCode, reason, error.Message + "\n", close: true)));
                CompleteAndClose(commands);
                return;
            case Http1ClientPhase.OpeningBadTarget:
                flow.Method = head!.Method;
                flow.HttpVersion = head.Version;
                flow.RequestHeaders = [.. head.Headers];
                flow.Error = new FlowError(FlowErrorKind.ProtocolError, $"cannot tell where '{head.Target}' goes");
                flow.StatusCode = 400;
                flow.Reason = "Bad Request";
                commands.Add(ProxyCommand.TryToClient(Http1Writer.SimpleResponse(400, "Bad Request", "request target must be absolute-form or have a Host header\n", close: true)));
                CompleteAndClose(commands);
                return;
            case Http1ClientPhase.OpeningBadConnect:
                flow.Method = head!.Method;
                flow.Error = new FlowError(FlowErrorKind.ProtocolError, $"bad CONNECT authority '{head.Target}'");
                flow.StatusCode = 400;
                commands.Add(ProxyCommand.TryToClient(Http1Writer.SimpleResponse(400, "Bad Request", "CONNECT needs host:port\n", close: true)));
                CompleteAndClose(commands);
                return;
            case Http1ClientPhase.OpeningEmptyTunnel:
                flow.Method = "CONNECT";
                flow.Error = new FlowError(FlowErrorKind.ClientAbort, "client sent nothing after CONNECT");
                CompleteAndClose(commands);
                return;
            case Http1ClientPhase.OpeningExchange:
                flow.Method = head!.Method;
                flow.Url = _url;
                flow.HttpVersion = head.Version;
                flow.RequestHeaders = [.. head.Headers];
                _keepAlive = Http1RequestRouting.ClientWantsKeepAlive(head);
                _requestCapture = new BodyCapture(maxBodyBytes);
                _responseCapture = new BodyCapture(maxBodyBytes);
                if (head.Framing == Http1BodyFraming.ContentLength && head.ContentLength is { } requestLength) _requestCapture.ExpectSize(requestLength);
                _requestComplete = false;
                _localResponseStarted = false;
                _local = false;
                _responding = false;
                commands.Add(ProxyCommand.Raise(AddonEvent.RequestHeaders));
                _phase = Http1ClientPhase.RequestHeaders;
                Wants = Http1ClientWants.Continue;
                return;
            default:
                throw new InvalidOperationException($"flow opened in phase {_phase}");
        }
    }

    /// <summary>The pump completed the flow: a failure from here on (a tunnel, the next read) belongs to no exchange.</summary>
    public void FlowCompleted() => _flow = null;

    /// <summary>The addon event raised last has run on every addon: go on with what they decided.</summary>
    public void Continue(List<ProxyCommand> commands)
    {
        var head = _head!;
        var flow = _flow!;
        var session = Session!;
        switch (_phase)
        {
            case Http1ClientPhase.RequestHeaders:
                if (head.ExpectContinue)
                {
                    // We answer 100 ourselves and strip Expect upstream: the body streams to us either way.
                    commands.Add(ProxyCommand.ToClient(Continue100));
                    commands.Add(ProxyCommand.FlushClient);
                }
                // Local answers (handlers, the library's addons, the canary page, the sinkhole) are addons on request headers.
                _local = session.LocalResponse is not null;
                if (_local)
                {
                    flow.Tags[ClientConnection.AnsweredByTag] = session.AnsweredBy ?? ProxySession.AnsweredByHandler;
                }
                else
                {
                    flow.Tags[ClientConnection.AnsweredByTag] = ClientConnection.AnsweredByUpstream;
                    commands.Add(ProxyCommand.Connect(_host, _port, _urlScheme == "https"));
                    commands.Add(ProxyCommand.ToUpstream(Http1Writer.RequestHead(head.Method, _originTarget, head.Version, Http1RequestRouting.UpstreamHeaders(head))));
                    commands.Add(ProxyCommand.ExpectResponseTo(head.Method));
                }
                // One body layer and one response layer per connection, restarted for each exchange.
                if (_body is null) _body = new Http1RequestBodyLayer(head, flow, _requestCapture!, toUpstream: !_local);
                else _body.Start(head, flow, _requestCapture!, toUpstream: !_local);
                _phase = Http1ClientPhase.RequestBody;
                Wants = Http1ClientWants.ClientEvent;
                return;
            case Http1ClientPhase.RequestComplete when _local:
                if (head.IsUpgrade && Http1RequestRouting.IsWebSocketRequest(head) && session.AnsweredBy is CanaryPageAddon.AnsweredBy or SinkholeAddon.AnsweredBy)
                {
                    AcceptWebSocket(head, flow, commands);
                    return;
                }
                if (head.IsUpgrade) commands.Add(ProxyCommand.ResumeClient);
                _localResponseStarted = true;
                var local = session.LocalResponse!;
                var headers = local.Headers.ToList();
                if (Http1Headers.Get(headers, "content-length") is null)
                    headers.Add(new HeaderField("Content-Length", local.Body.Length.ToString(CultureInfo.InvariantCulture)));
                if (!_keepAlive) headers.Add(new HeaderField("Connection", "close"));
                flow.StatusCode = local.StatusCode;
                flow.Reason = local.Reason;
                flow.ResponseHeaders = headers;
                _localHeaders = headers;
                commands.Add(ProxyCommand.ResponseHeaders);
                _phase = Http1ClientPhase.LocalResponseHeaders;
                Wants = Http1ClientWants.Continue;
                return;
            case Http1ClientPhase.RequestComplete:
                if (_response is null) _response = new Http1ResponseRelayLayer(head, flow, _responseCapture!, time, scratch);
                else _response.Start(head, flow, _responseCapture!);
                _responding = true;
                _phase = Http1ClientPhase.Response;
                Wants = Http1ClientWants.UpstreamEvent;
                return;
            case Http1ClientPhase.LocalResponseHeaders:
                var answer = session.LocalResponse!;
                // The answer as built, whatever an addon put on the flow since (the wire is ours, the flow is the record).
                var answerHeaders = _localHeaders!;
                var body = head.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase) ? [] : answer.Body;
                var responseHead = Http1Writer.ResponseHead(head.Version == "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1", answer.StatusCode, answer.Reason, answerHeaders);
                byte[] wire = [.. responseHead, .. body];
                commands.Add(ProxyCommand.ToClient(wire));
                commands.Add(ProxyCommand.FlushClient);
                _responseCapture!.Append(body);
                flow.ResponseBody = _responseCapture.ToFlowBody(Http1Headers.Get(answerHeaders, "content-encoding"), Http1Headers.Get(answerHeaders, "content-type"));
                flow.Timings.ResponseDone = time.GetUtcNow();
                commands.Add(ProxyCommand.Raise(AddonEvent.ResponseComplete));
                EndExchange(_keepAlive, commands);
                return;
            default:
                throw new InvalidOperationException($"continue in phase {_phase}");
        }
    }

    /// <summary>
    /// Something failed while the pump executed commands (a write, a connect, a hand-off) or a read failed mid-exchange:
    /// the open flow records it (and a 502/504 goes to the client if no response byte did), then the connection closes.
    /// </summary>
    public void Fail(Exception e, bool proxyStopping, List<ProxyCommand> commands)
    {
        if (_flow is not { } flow)
        {
            Close(commands);
            return;
        }
        var failure = ExchangeFailure.Of(e, proxyStopping, _localResponseStarted || (_responding && _response!.Started));
        failure.ApplyTo(flow);
        if (!_requestComplete && _head is { } head && _requestCapture is { } requestCapture) FinishRequestBody(flow, head, requestCapture);
        if (_responseCapture is { Size: > 0 } responseCapture)
            flow.ResponseBody = responseCapture.ToFlowBody(Http1Headers.Get(flow.ResponseHeaders, "content-encoding"), Http1Headers.Get(flow.ResponseHeaders, "content-type"));
        if (flow.Error!.Kind != FlowErrorKind.ClientAbort) commands.Add(ProxyCommand.CloseUpstream);
        if (failure.Response is { } answer) commands.Add(ProxyCommand.TryToClient(answer));
        CompleteAndClose(commands);
    }

    private void StartExchange(Http1Event? ev, List<ProxyCommand> commands)
    {
        if (ev is Http1ParseError error)
        {
            _parseError = error;
            _phase = Http1ClientPhase.OpeningProtocolError;
            commands.Add(ProxyCommand.OpenFlow(FlowKind.Connection, tunnelHost ?? "", tunnelPort, scheme));
            return;
        }
        if (ev is not Http1RequestHead head)
        {
            Close(commands);
            return;
        }
        RequestsServed++;
        _head = head;
        if (head.IsConnect && tunnelHost is null)
        {
            _connectStart = time.GetUtcNow();
            _phase = Http1ClientPhase.ConnectHead;
            return;
        }
        if (!Http1RequestRouting.TryResolveTarget(head, scheme, tunnelHost, tunnelPort, out _host, out _port, out _urlScheme, out _originTarget, out _url))
        {
            _phase = Http1ClientPhase.OpeningBadTarget;
            commands.Add(ProxyCommand.OpenFlow(FlowKind.Http, tunnelHost ?? "", tunnelPort, scheme));
            return;
        }
        _phase = Http1ClientPhase.OpeningExchange;
        commands.Add(ProxyCommand.OpenFlow(FlowKind.Http, _host, _port, _urlScheme));
    }

    private void AnswerConnect(Http1Event? ev, List<ProxyCommand> commands)
    {
        // CONNECT has no body: the parser queued its completion with the head.
        if (ev is not Http1MessageComplete)
        {
            Close(commands);
            return;
        }
        var head = _head!;
        if (!Http1RequestRouting.TrySplitAuthority(head.Target, 443, out var host, out var port))
        {
            _phase = Http1ClientPhase.OpeningBadConnect;
            commands.Add(ProxyCommand.OpenFlow(FlowKind.Connection, head.Target, 0, "https"));
            return;
        }
        _host = host;
        _port = port;
        commands.Add(ProxyCommand.ToClient(ConnectionEstablished));
        commands.Add(ProxyCommand.FlushClient);
        _phase = Http1ClientPhase.TunnelStart;
        Wants = Http1ClientWants.TunnelStart;
    }

    /// <summary>
    /// What the client sent first after our 200 (empty: it closed or stayed silent). That decides the tunnel: TLS is
    /// intercepted, clear-text HTTP served, anything else relayed opaquely; a tunnel never used is a flow of its own.
    /// </summary>
    public void TunnelStarted(ReadOnlySpan<byte> first, List<ProxyCommand> commands)
    {
        if (_phase != Http1ClientPhase.TunnelStart) throw new InvalidOperationException($"tunnel start in phase {_phase}");
        if (first.IsEmpty)
        {
            _phase = Http1ClientPhase.OpeningEmptyTunnel;
            commands.Add(ProxyCommand.OpenFlow(FlowKind.Tunnel, _host, _port, "tcp", _connectStart));
            return;
        }
        var kind = TlsInterceptionPolicy.Classify(first[0]) switch
        {
            TunnelContent.Tls => ProxyCommandKind.InterceptTls,
            TunnelContent.PlainHttp => ProxyCommandKind.ServePlainTunnel,
            _ => ProxyCommandKind.RelayOpaqueTunnel,
        };
        commands.Add(ProxyCommand.Tunnel(kind, _host, _port, _connectStart));
        Close(commands);
    }

    private void RequestBodyDone(List<ProxyCommand> commands)
    {
        _requestComplete = true;
        if (!_local) commands.Add(ProxyCommand.FlushUpstream);
        FinishRequestBody(_flow!, _head!, _requestCapture!);
        commands.Add(ProxyCommand.Raise(AddonEvent.RequestComplete));
        _phase = Http1ClientPhase.RequestComplete;
        Wants = Http1ClientWants.Continue;
    }

    private void ResponseDone(Http1ResponseOutcome outcome, List<ProxyCommand> commands)
    {
        if (outcome.SwitchedProtocols)
        {
            _flow!.Kind = FlowKind.WebSocket;
            commands.Add(ProxyCommand.RelayWebSocket);
            commands.Add(ProxyCommand.CloseUpstream);
            CompleteAndClose(commands);
            return;
        }
        commands.Add(ProxyCommand.Raise(AddonEvent.ResponseComplete));
        if (_head!.IsUpgrade) commands.Add(ProxyCommand.ResumeClient);
        if (!outcome.UpstreamKeepAlive) commands.Add(ProxyCommand.CloseUpstream);
        EndExchange(_keepAlive && outcome.ClientKeepAlive, commands);
    }

    /// <summary>Sinkhole/canary WebSocket: the 101 is ours; the pump then records the client's frames.</summary>
    private void AcceptWebSocket(Http1RequestHead head, Flow flow, List<ProxyCommand> commands)
    {
        flow.Kind = FlowKind.WebSocket;
        var headers = new List<HeaderField>
        {
            new("Upgrade", "websocket"),
            new("Connection", "Upgrade"),
            new("Sec-WebSocket-Accept", Http1RequestRouting.WebSocketAccept(Http1Headers.Get(head.Headers, "sec-websocket-key")!)),
        };
        flow.StatusCode = 101;
        flow.Reason = "Switching Protocols";
        flow.ResponseHeaders = headers;
        _localResponseStarted = true;
        commands.Add(ProxyCommand.ToClient(Http1Writer.ResponseHead("HTTP/1.1", 101, "Switching Protocols", headers)));
        commands.Add(ProxyCommand.FlushClient);
        commands.Add(ProxyCommand.AcceptWebSocketLocally);
        CompleteAndClose(commands);
    }

    private void FinishRequestBody(Flow flow, Http1RequestHead head, BodyCapture capture)
    {
        flow.Timings.RequestDone = time.GetUtcNow();
        if (capture.Size > 0 || head.Framing != Http1BodyFraming.None)
            flow.RequestBody = capture.ToFlowBody(Http1Headers.Get(head.Headers, "content-encoding"), Http1Headers.Get(head.Headers, "content-type"));
    }

    private void EndExchange(bool keepAlive, List<ProxyCommand> commands)
    {
        commands.Add(ProxyCommand.CompleteFlow);
        if (!keepAlive)
        {
            Close(commands);
            return;
        }
        _phase = Http1ClientPhase.Idle;
        Wants = Http1ClientWants.ClientEvent;
    }

    private void CompleteAndClose(List<ProxyCommand> commands)
    {
        commands.Add(ProxyCommand.CompleteFlow);
        Close(commands);
    }

    private void Close(List<ProxyCommand> commands)
    {
        commands.Add(ProxyCommand.Close);
        _phase = Http1ClientPhase.Closed;
        Wants = Http1ClientWants.Nothing;
    }
}
