namespace Harness.Flows;

/// <summary>
/// One exchange the proxy saw: an HTTP request/response, a WebSocket session, an opaque tunnel,
/// or a connection that failed before any request (TLS refused, client abort).
/// Failed flows are kept on purpose: the scanner turns them into coverage gaps.
/// </summary>
public sealed class Flow
{
    public required string Id { get; init; }
    public FlowKind Kind { get; set; } = FlowKind.Http;
    public string? ClientAddress { get; set; }

    /// <summary>Host the client asked for (CONNECT authority or absolute-form URL), without port.</summary>
    public required string Host { get; set; }
    public int Port { get; set; }
    public string Scheme { get; set; } = "http";

    public FlowTimings Timings { get; set; } = new();

    public string? Method { get; set; }
    /// <summary>Absolute URL as the client meant it (scheme://host[:port]/path?query).</summary>
    public string? Url { get; set; }
    public string? HttpVersion { get; set; }
    /// <summary>Headers as sent on the wire: order and case kept.</summary>
    public List<HeaderField> RequestHeaders { get; set; } = [];
    public FlowBody? RequestBody { get; set; }
    /// <summary>Trailer fields after a chunked request body, if any.</summary>
    public List<HeaderField>? RequestTrailers { get; set; }

    public int? StatusCode { get; set; }
    public string? Reason { get; set; }
    public List<HeaderField> ResponseHeaders { get; set; } = [];
    public FlowBody? ResponseBody { get; set; }
    public List<HeaderField>? ResponseTrailers { get; set; }

    public TlsInfo? Tls { get; set; }
    public FlowError? Error { get; set; }
    public List<WebSocketMessage> WebSocketMessages { get; set; } = [];

    /// <summary>Free-form labels set by addons, e.g. the upstream mode that answered.</summary>
    public Dictionary<string, string> Tags { get; set; } = [];
}
