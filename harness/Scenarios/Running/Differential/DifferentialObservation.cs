namespace Harness.Scenarios;

/// <summary>One opaque request payload seen in one run: where it went (endpoint), its shape, and its size.</summary>
/// <param name="Endpoint">Host and path template, e.g. <c>sa.api.intl.miui.com/sa</c> or <c>api.example/v1/{n}/upload</c>.</param>
/// <param name="Shape">Method, content type, query keys and the payload's location, with digits folded (what makes two requests the same kind).</param>
public sealed record DifferentialObservation(string Run, string Endpoint, string Shape, long Size, string FlowId);
