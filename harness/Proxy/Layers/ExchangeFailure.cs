using System.Globalization;
using Harness.Flows;
using Harness.Proxy.Http1;

namespace Harness.Proxy.Layers;

/// <summary>
/// What a failed exchange becomes, decided without I/O: the flow's error, the upstream failure cause (tag
/// <c>upstreamFailure</c>), and, when the origin failed before the client got any byte of a response, the proxy's own
/// answer: 504 for a timeout, 502 otherwise, with the cause in the body.
/// </summary>
internal sealed record ExchangeFailure(FlowError Error, string? Cause, int? Status, byte[]? Response)
{
    public const string ProxyStatusTag = "proxyStatus";

    public static ExchangeFailure Of(Exception e, bool proxyStopping, bool responseStarted)
    {
        var error = e switch
        {
            TimeoutException => new FlowError(FlowErrorKind.Timeout, e.Message),
            UpstreamException => new FlowError(FlowErrorKind.UpstreamError, Describe(e)),
            OperationCanceledException when proxyStopping => new FlowError(FlowErrorKind.ClientAbort, "proxy stopped"),
            _ => new FlowError(FlowErrorKind.ClientAbort, Describe(e)),
        };
        var upstreamSide = error.Kind is FlowErrorKind.UpstreamError or FlowErrorKind.Timeout;
        var cause = upstreamSide ? UpstreamFailureCause.Of(e) : null;
        if (!upstreamSide || responseStarted) return new ExchangeFailure(error, cause, null, null);
        var status = error.Kind == FlowErrorKind.Timeout ? 504 : 502;
        var response = Http1Writer.SimpleResponse(status, status == 504 ? "Gateway Timeout" : "Bad Gateway", error.Message + "\n", close: true);
        return new ExchangeFailure(error, cause, status, response);
    }

    /// <summary>Record the failure on the flow.</summary>
    public void ApplyTo(Flow flow)
    {
        flow.Error = Error;
        if (Cause is not null) flow.Tags[UpstreamFailureCause.TagName] = Cause;
        if (Status is { } status) flow.Tags[ProxyStatusTag] = status.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The exception and its inner ones, as one line.</summary>
    public static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) parts.Add(x.Message);
        return string.Join(": ", parts.Distinct());
    }
}
